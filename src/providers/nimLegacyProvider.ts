import { setTimeout as sleep } from 'node:timers/promises';
import { toBase64 } from '../core/images/preparedImage';
import { serviceFetch } from './boundedFetch';
import { errorFromFailure } from './connectionErrors';
import { ErrorContext, errorFromResponse, redactSecrets, serverText } from './httpErrors';
import { authHeader, DEFAULT_NVCF_BASE_URL, stepContext, trimSlash, withNvcfAsset } from './nvcfAssets';
import { CaptionProvider, CaptionRequest, CaptionResult, GroundedEntity, ModelEntry, ProviderError } from './types';

/** NVIDIA's samples assert `len(base64) < 180_000` for inline images. */
export const DEFAULT_MAX_INLINE_BASE64 = 180_000;
const DEFAULT_POLL_INTERVAL_MS = 1000;
const ASSET_DESCRIPTION = 'image-captioner input image';
const KEY_HINT = "run 'Image Captioner: Set API Key' for NVIDIA";
const DEFAULT_RETIRED_NOTE = 'NVIDIA may have retired this legacy route; pick a model on integrate.api.nvidia.com instead';

export interface NimLegacyOptions {
  /** Delay between polls of a request answered with HTTP 202 (default 1000 ms). */
  readonly pollIntervalMs?: number;
  /** Told about non-fatal problems (an asset left undeleted); defaults to console.warn. */
  readonly onWarning?: (message: string) => void;
}

/** How the image is referenced in the prompt, and the NVCF headers that go with it. */
interface ImageReference {
  readonly src: string;
  readonly headers: Record<string, string>;
}

/**
 * NIM's per-model legacy routes (Kosmos-2, VILA, `/v1/gr/...`): the image travels inside a string
 * content as `<img src="..." />`; `model.baseUrl` is the full route; no streaming. Assets and status
 * polls go to the model's `nvcfBaseUrl` (NVIDIA's NVCF API unless the entry names another).
 */
export class NimLegacyProvider implements CaptionProvider {
  readonly kind = 'nim-legacy' as const;
  private readonly pollIntervalMs: number;
  private readonly onWarning: (message: string) => void;

  constructor(options: NimLegacyOptions = {}) {
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    this.onWarning = options.onWarning ?? ((message) => console.warn(message));
  }

  async caption(request: CaptionRequest): Promise<CaptionResult> {
    const { model } = request;
    const context = errorContext(model, request.apiKey);
    if (!model.baseUrl) throw new ProviderError('bad-request', `${context.service}: the model has no route URL (baseUrl)`);
    const base64 = toBase64(request.image);
    const limit = model.maxInlineBase64 ?? DEFAULT_MAX_INLINE_BASE64;
    const inline = base64.length <= limit;
    if (!inline && !model.useAssets) {
      const message = `${context.service}: the image is ${base64.length} base64 characters, over the ${limit} this route accepts inline; downscale it (a smaller maximum image side) or enable NVCF asset upload for this model`;
      throw new ProviderError('bad-request', redactSecrets(message, context.secrets));
    }

    const controller = new AbortController();
    let timedOut = false;
    const cancel = (): void => controller.abort();
    request.signal?.addEventListener('abort', cancel, { once: true });
    if (request.signal?.aborted) controller.abort();
    const timer = request.timeoutMs !== undefined ? setTimeout(() => ((timedOut = true), controller.abort()), request.timeoutMs) : undefined;
    try {
      const result = inline
        ? await this.send(request, context, { src: `data:${request.image.mime};base64,${base64}`, headers: {} }, controller.signal)
        : await withNvcfAsset(
            { baseUrl: nvcfBaseUrlOf(model), apiKey: request.apiKey, signal: controller.signal, context, onWarning: this.onWarning },
            { data: request.image.data, contentType: request.image.mime, description: ASSET_DESCRIPTION },
            (assetId) => this.send(request, context, assetReference(request.image.mime, assetId), controller.signal),
          );
      request.onText?.(result.text);
      return result;
    } catch (err) {
      throw errorFromFailure(err, context, timedOut, !timedOut && (request.signal?.aborted ?? false));
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', cancel);
    }
  }

  private async send(request: CaptionRequest, context: ErrorContext, image: ImageReference, signal: AbortSignal): Promise<CaptionResult> {
    const { model } = request;
    const body: Record<string, unknown> = {
      messages: [{ role: 'user', content: `${request.prompt} <img src="${image.src}" />` }],
      ...request.params,
      ...model.extraBody,
    };
    if (model.model) body.model = model.model;
    const response = await serviceFetch(context, 'request')(model.baseUrl as string, {
      method: 'POST',
      headers: { ...authHeader(request.apiKey), 'Content-Type': 'application/json', Accept: 'application/json', ...image.headers },
      body: JSON.stringify(body),
      signal,
    });
    if (response.status === 202) return this.poll(response, request, context, signal);
    const text = await response.text();
    if (!response.ok) throw errorFromResponse(response.status, text, response.headers, context);
    return parseReply(text, context, response.status);
  }

  /** NVCF answers 202 while the function still runs: the result is fetched from pexec/status by request id. */
  private async poll(first: Response, request: CaptionRequest, context: ErrorContext, signal: AbortSignal): Promise<CaptionResult> {
    let pending = first;
    const base = trimSlash(nvcfBaseUrlOf(request.model));
    const statusContext = stepContext(context, 'status poll', base);
    for (;;) {
      const requestId = pending.headers.get('nvcf-reqid');
      await pending.body?.cancel();
      if (!requestId) throw new ProviderError('bad-response', `${context.service} answered HTTP 202 without an NVCF-REQID header`, { status: 202 });
      await sleep(this.pollIntervalMs, undefined, { signal });
      pending = await serviceFetch(statusContext, 'status poll')(`${base}/v2/nvcf/pexec/status/${encodeURIComponent(requestId)}`, {
        headers: { ...authHeader(request.apiKey), Accept: 'application/json' },
        signal,
      });
      if (pending.status === 202) continue;
      const text = await pending.text();
      if (!pending.ok) throw errorFromResponse(pending.status, text, pending.headers, statusContext);
      return parseReply(text, context, pending.status);
    }
  }
}

/** Where the model's NVCF calls go: its own entry's host, NVIDIA's by default. */
function nvcfBaseUrlOf(model: ModelEntry): string {
  return model.nvcfBaseUrl ?? DEFAULT_NVCF_BASE_URL;
}

function assetReference(mime: string, assetId: string): ImageReference {
  return {
    src: `data:${mime};asset_id,${assetId}`,
    headers: { 'NVCF-INPUT-ASSET-REFERENCES': assetId, 'NVCF-FUNCTION-ASSET-IDS': assetId },
  };
}

function errorContext(model: ModelEntry, apiKey: string | undefined): ErrorContext {
  return {
    service: `NVIDIA NIM (${model.label})`,
    keyHint: KEY_HINT,
    // Every 404 on a legacy route reads as retirement: NVIDIA removes these routes rather than renaming them.
    retiredNote: model.note ?? DEFAULT_RETIRED_NOTE,
    secrets: [apiKey],
  };
}

interface ChatReply {
  choices?: Array<{ finish_reason?: unknown; message?: { content?: unknown; entities?: unknown } }>;
}

/** Text as received (Kosmos-2's markup, if any, is left to the clean-up module); entities kept for the regions sidecar. */
function parseReply(body: string, context: ErrorContext, status: number): CaptionResult {
  let reply: ChatReply;
  try {
    reply = JSON.parse(body) as ChatReply;
  } catch {
    throw new ProviderError('bad-response', `${context.service} sent a reply that is not JSON: ${serverText(body, context.secrets, 120)}`, { status });
  }
  const choice = Array.isArray(reply?.choices) ? reply.choices[0] : undefined;
  const text = choice?.message?.content;
  if (typeof text !== 'string' || !text.trim()) {
    throw new ProviderError('bad-response', `${context.service} sent a reply without text (choices[0].message.content)`, { status });
  }
  const entities = parseEntities(choice?.message?.entities);
  const finishReason = typeof choice?.finish_reason === 'string' ? choice.finish_reason : undefined;
  return { text, ...(entities ? { entities } : {}), ...(finishReason ? { finishReason } : {}) };
}

/** Kosmos-2's `[{phrase, substring:[start,end], bboxes:[[x1,y1,x2,y2], ...]}]`; malformed items are dropped, not guessed. */
export function parseEntities(raw: unknown): GroundedEntity[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const entities: GroundedEntity[] = [];
  for (const item of raw as Array<Record<string, unknown>>) {
    if (typeof item?.phrase !== 'string' || !Array.isArray(item.bboxes)) continue;
    const boxes = item.bboxes.filter(isBox) as Array<[number, number, number, number]>;
    const span = isSpan(item.substring) ? ([item.substring[0], item.substring[1]] as const) : undefined;
    entities.push({ phrase: item.phrase, ...(span ? { span } : {}), boxes });
  }
  return entities;
}

function isBox(value: unknown): boolean {
  return Array.isArray(value) && value.length === 4 && value.every((n) => typeof n === 'number' && Number.isFinite(n));
}

function isSpan(value: unknown): value is [number, number] {
  return Array.isArray(value) && value.length === 2 && value.every((n) => Number.isInteger(n) && n >= 0);
}
