/**
 * Captioning with local models through the worker. Concurrent requests for the same model are
 * gathered into one batched worker request (up to the model's batch size), so the batch engine's
 * concurrency becomes batch size for models that generate in batches.
 */
import { DEFAULT_MAX_NEW_TOKENS, FLORENCE_CAPTION_TASKS, type CaptionParams, type CaptionReply, type FlorenceCaptionTask, type ModelRef } from '../../worker/protocol';
import type { LengthPreset } from '../../core/captioning/prompts';
import { CaptionProvider, CaptionRequest, CaptionResult, ModelEntry, ProviderError, type ProviderErrorKind } from '../types';
import { toBase64 } from '../../core/images/preparedImage';
import { LocalWorkerError, type LocalWorkerErrorKind, type RequestOptions } from './workerClient';
import { GatheringQueue, whenAllAborted } from './gatheringQueue';

/** Sends one caption request to the worker (the service adds trust checks and download progress). */
export type LocalCaptionRunner = (params: Omit<CaptionParams, 'ticket'>, options: RequestOptions & { readonly model: ModelEntry }) => Promise<CaptionReply>;

const FLORENCE_TASK_BY_LENGTH: Readonly<Record<LengthPreset, FlorenceCaptionTask>> = { short: '<CAPTION>', long: '<DETAILED_CAPTION>', custom: '<MORE_DETAILED_CAPTION>' };

export class LocalProvider implements CaptionProvider {
  readonly kind = 'local' as const;
  private readonly queue: GatheringQueue<CaptionRequest, CaptionResult>;

  constructor(private readonly run: LocalCaptionRunner) {
    this.queue = new GatheringQueue<CaptionRequest, CaptionResult>((group) => this.send(group), () => new ProviderError('cancelled', 'Cancelled'));
  }

  /**
   * A request goes to the worker at once when the model has a free slot; while the worker is busy,
   * requests queue and leave together (up to the batch size) as soon as a batch comes back.
   */
  caption(request: CaptionRequest): Promise<CaptionResult> {
    if (request.signal?.aborted) return Promise.reject(new ProviderError('cancelled', 'Cancelled'));
    const ref = modelRef(request.model);
    // a tagger answers through worker/tag (the batch's tag kind, the editor's tag candidate), never worker/caption
    if (ref.task === 'wd-tagger') return Promise.reject(new ProviderError('bad-request', `${request.model.label} is a WD tagger: it tags images (Tag Images with a WD Tagger…) and cannot answer a caption prompt.`));
    const batchSize = ref.task === 'image-to-text' ? Math.max(1, request.model.local?.batchSize ?? 8) : 1;
    // Streaming and single-image families go one by one.
    if (batchSize === 1 || request.onText) return this.send([request]).then((results) => settle(results[0]));
    return this.queue.submit(`${ref.id}\n${ref.dtype ?? ''}\n${maxNewTokens(request)}`, request, batchSize, request.signal);
  }

  /** One worker request for the group; each image gets its caption or its own error. */
  private async send(requests: readonly CaptionRequest[]): Promise<Array<CaptionResult | ProviderError>> {
    const first = requests[0];
    const ref = modelRef(first.model);
    const cancel = whenAllAborted(requests.map((r) => r.signal));
    let reply: CaptionReply;
    try {
      reply = await this.run(
        {
          model: ref,
          images: requests.map((r) => ({ base64: toBase64(r.image), name: `${r.image.width}x${r.image.height} ${r.image.mime}` })),
          prompt: ref.task === 'florence2' ? florenceTask(first) : first.prompt,
          maxNewTokens: maxNewTokens(first),
          stream: Boolean(first.onText) && requests.length === 1,
        },
        {
          model: first.model,
          signal: cancel.signal,
          timeoutMs: first.timeoutMs,
          onProgress: (progress) => {
            if (progress.kind === 'text') first.onText?.(progress.delta);
          },
        },
      );
    } catch (error) {
      throw toProviderError(first.model, error);
    } finally {
      cancel.dispose();
    }
    return reply.items.map((item) => (item.ok ? { text: item.value, finishReason: 'stop' } : new ProviderError('bad-request', item.error)));
  }
}

function settle(result: CaptionResult | ProviderError): CaptionResult {
  if (result instanceof ProviderError) throw result;
  return result;
}

export function modelRef(model: ModelEntry): ModelRef {
  if (!model.model || !model.local) throw new ProviderError('bad-request', `${model.label} is not a local model (it needs "model" and "local.task")`);
  return { id: model.model, task: model.local.task, dtype: model.local.dtype };
}

function maxNewTokens(request: CaptionRequest): number {
  const value = request.params.max_new_tokens ?? request.params.max_tokens;
  return typeof value === 'number' && value > 0 ? Math.floor(value) : DEFAULT_MAX_NEW_TOKENS;
}

/** Florence-2 takes a task token, not a prompt: the length preset chooses it, or a caption task token typed as the prompt. */
function florenceTask(request: CaptionRequest): string {
  const typed = request.prompt.trim();
  if ((FLORENCE_CAPTION_TASKS as readonly string[]).includes(typed)) return typed;
  return FLORENCE_TASK_BY_LENGTH[request.length ?? 'custom'];
}

const KIND_BY_WORKER_ERROR: Record<LocalWorkerErrorKind, ProviderErrorKind> = {
  'model-missing': 'not-found',
  'bad-input': 'bad-request',
  'out-of-memory': 'bad-request',
  failed: 'bad-response',
  crashed: 'server', // retryable: the next attempt starts a fresh worker
  timeout: 'timeout',
  cancelled: 'cancelled',
};

export function toProviderError(model: ModelEntry, error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof LocalWorkerError) return new ProviderError(KIND_BY_WORKER_ERROR[error.kind], `${model.label}: ${error.message}`);
  return new ProviderError('bad-response', `${model.label}: ${error instanceof Error ? error.message : String(error)}`);
}
