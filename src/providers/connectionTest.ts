import sharp from 'sharp';
import { generateCaption } from './captionPipeline';
import { redactSecrets, serverText } from './httpErrors';
import { CaptionProvider, ModelEntry, ProviderError } from './types';

/**
 * "Does this model answer?": one small request through the same path captions take (prepare the
 * image, ask the provider, clean the answer), classified into what the user can do about it. No
 * vscode here: the extension's "Test Model Connection…" and the CLI's `models test` share it.
 */

/** What stopped the test, each with its own fix. */
export type ConnectionProblem = 'no-key' | 'key-rejected' | 'unreachable' | 'model-unknown' | 'timeout' | 'cancelled' | 'other';

/** What the user can do next; front ends turn each into a button or a hint. */
export type ConnectionFix = 'set-key' | 'edit-model' | 'open-settings' | 'retry';

export type ConnectionTestResult =
  | {
      readonly ok: true;
      /** From the request leaving to the cleaned answer, image preparation included. */
      readonly latencyMs: number;
      /** The model's answer as it came (keys redacted, cut to a short line). */
      readonly reply: string;
    }
  | {
      readonly ok: false;
      readonly problem: ConnectionProblem;
      /** One sentence saying what is wrong, naming the model. */
      readonly summary: string;
      /** The provider's or server's own words (keys redacted), empty when nothing was sent. */
      readonly detail: string;
      /** The HTTP status when the server answered with one. */
      readonly status?: number;
      readonly fixes: readonly ConnectionFix[];
    };

export interface ConnectionTestOptions {
  readonly model: ModelEntry;
  readonly provider: CaptionProvider;
  /** The model's key; undefined for a model that needs one means "no key": nothing is sent. */
  readonly apiKey?: string;
  readonly timeoutMs: number;
  /** Whether a legacy NIM route may upload an asset (the test image always fits inline). */
  readonly uploadAssets?: boolean;
  readonly signal?: AbortSignal;
}

/** Asked of the model with the test image; short, so a reply comes quickly. */
export const CONNECTION_TEST_PROMPT = 'What shape and colour do you see? Answer in five words or fewer.';

/** Longest reply shown. */
const REPLY_MAX = 200;

/** A red disc on white: small, and something any vision model can name ("a red circle"). */
const TEST_IMAGE_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96"><rect width="96" height="96" fill="#ffffff"/><circle cx="48" cy="48" r="32" fill="#d01c1c"/></svg>';

/** The test image as PNG bytes (made, never read from disk). */
export async function connectionTestImage(): Promise<Buffer> {
  return sharp(Buffer.from(TEST_IMAGE_SVG)).png().toBuffer();
}

/**
 * Bodies that say "no such model" under a status other than 404: vLLM and OpenAI answer 404, but
 * Ollama's OpenAI route, LM Studio and the Hugging Face router have answered 400 with such text.
 */
const MODEL_UNKNOWN_TEXT = /model_not_found|model\b[^.]{0,120}\b(?:not found|does not exist|is not supported|not supported by|unknown|not available|no such)|unknown model|no model named/i;

/** One small request to `model`; never throws for a failure of the request itself. */
export async function testModelConnection(options: ConnectionTestOptions): Promise<ConnectionTestResult> {
  const { model } = options;
  if (model.key !== 'none' && !options.apiKey) {
    return failure('no-key', `${model.label} needs an API key and none is set: nothing was sent.`, '', ['set-key']);
  }
  const started = Date.now();
  try {
    const result = await generateCaption({ data: await connectionTestImage(), name: 'connection test image' }, {
      model,
      provider: options.provider,
      apiKey: options.apiKey,
      prompt: CONNECTION_TEST_PROMPT,
      length: 'short',
      params: {},
      timeoutMs: options.timeoutMs,
      uploadAssets: options.uploadAssets ?? false,
      signal: options.signal,
    });
    return { ok: true, latencyMs: Date.now() - started, reply: serverText(result.raw.replace(/\s+/g, ' ').trim(), [options.apiKey], REPLY_MAX) };
  } catch (err) {
    return classify(err, options);
  }
}

function classify(err: unknown, options: ConnectionTestOptions): ConnectionTestResult {
  const { model } = options;
  const detail = redactSecrets(err instanceof Error ? err.message : String(err), [options.apiKey]);
  if (!(err instanceof ProviderError)) return failure('other', `${model.label} could not be tested.`, detail, ['retry']);
  const status = err.status;
  switch (err.kind) {
    case 'auth':
      return model.key === 'none'
        ? failure('key-rejected', `${model.label} refused the request (HTTP ${status ?? '401/403'}) and its entry sends no key: give the entry a "key".`, detail, ['edit-model'], status)
        : failure('key-rejected', `${model.label} rejected the API key (HTTP ${status ?? '401/403'}).`, detail, ['set-key'], status);
    case 'unreachable':
      return failure('unreachable', `${model.label} cannot be reached at ${hostOf(model)}.`, detail, ['edit-model', 'retry']);
    case 'not-found':
    case 'gone':
      return failure('model-unknown', `${model.label}: the server does not know the model ${JSON.stringify(model.model ?? model.id)} (HTTP ${status ?? 404}).`, detail, ['edit-model'], status);
    case 'bad-request':
      if (MODEL_UNKNOWN_TEXT.test(err.message)) {
        return failure('model-unknown', `${model.label}: the server does not know the model ${JSON.stringify(model.model ?? model.id)} (HTTP ${status ?? 400}).`, detail, ['edit-model'], status);
      }
      return failure('other', `${model.label} refused the test request${status ? ` (HTTP ${status})` : ''}.`, detail, ['edit-model', 'retry'], status);
    case 'timeout':
      return failure('timeout', `${model.label} did not answer within ${Math.round(options.timeoutMs / 1000)} s.`, detail, ['retry', 'open-settings']);
    case 'cancelled':
      return failure('cancelled', `The test of ${model.label} was cancelled.`, '', ['retry']);
    default:
      return failure('other', `${model.label} failed the test${status ? ` (HTTP ${status})` : ''}.`, detail, ['retry'], status);
  }
}

function failure(problem: ConnectionProblem, summary: string, detail: string, fixes: readonly ConnectionFix[], status?: number): ConnectionTestResult {
  return { ok: false, problem, summary, detail, fixes, ...(status === undefined ? {} : { status }) };
}

/** The host a model's requests go to, for the "cannot be reached" sentence. */
function hostOf(model: ModelEntry): string {
  if (!model.baseUrl) return 'its service';
  try {
    return new URL(model.baseUrl).host;
  } catch {
    return model.baseUrl;
  }
}
