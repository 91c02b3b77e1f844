import { StepTarget, stepAdvice } from './requestSteps';
import { ProviderError, ProviderErrorKind } from './types';

/** Headers as the fetch API or the openai package give them. */
export interface HeaderSource {
  get(name: string): string | null | undefined;
}

/**
 * The delay a reply asks for: `retry-after-ms` (milliseconds, OpenAI), `retry-after` in seconds or
 * as an HTTP date. Undefined when absent or unparseable (NVIDIA's 429s usually carry none).
 */
export function retryAfterMs(headers: HeaderSource | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers.get('retry-after')?.trim();
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export interface ErrorContext {
  /** What was being called, for the message: "NVIDIA NIM (meta/llama-3.2-11b-vision-instruct)". */
  readonly service: string;
  /** How the user fixes a key problem, e.g. "run 'Image Captioner: Set API Key' for NVIDIA". */
  readonly keyHint?: string;
  /** Known reason a route may be gone (e.g. retired from the catalogue). */
  readonly retiredNote?: string;
  /** Secrets that must never appear in a message. */
  readonly secrets?: readonly (string | undefined)[];
  /** The step and host when it is not the model's request itself (an NVCF status poll or asset call). */
  readonly target?: StepTarget;
}

/** Maps an HTTP error reply to a ProviderError whose message says what happened and what to do. */
export function errorFromResponse(status: number, body: string, headers: HeaderSource | undefined, context: ErrorContext): ProviderError {
  const detail = summarizeBody(body, context.secrets);
  const kind = kindOfStatus(status, context);
  const advice = adviceFor(kind, context);
  const where = context.target && context.target.step !== 'request' ? ` to the ${context.target.step} at ${context.target.host}` : '';
  const message = `${context.service} answered HTTP ${status}${where}${detail ? `: ${detail}` : ''}${advice ? `. ${advice}` : ''}`;
  return new ProviderError(kind, redactSecrets(message, context.secrets), { status, retryAfterMs: retryAfterMs(headers) });
}

function kindOfStatus(status: number, context: ErrorContext): ProviderErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 410) return 'gone';
  if (status === 404) return context.retiredNote ? 'gone' : 'not-found';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate-limit';
  if (status >= 500) return 'server';
  return 'bad-request';
}

function adviceFor(kind: ProviderErrorKind, context: ErrorContext): string | undefined {
  switch (kind) {
    case 'auth':
      return context.keyHint ? `The API key was rejected: ${context.keyHint}` : 'The API key was rejected';
    case 'gone':
      return context.retiredNote ?? 'This model or route is no longer served';
    case 'not-found':
      return context.target && context.target.step !== 'request' ? stepAdvice(context.target.step) : 'Check the base URL and the model id';
    case 'rate-limit':
      return 'Too many requests: lower the requests-per-minute or concurrency setting';
    default:
      return undefined;
  }
}

/**
 * The useful part of an error body: a JSON `detail`/`message`/`title`/`error`, else its text. Secrets
 * go before anything is cut (a key across the cut would otherwise leave its first part behind), and
 * again after JSON decoding (a key written with escapes).
 */
function summarizeBody(body: string, secrets: ErrorContext['secrets']): string {
  const text = redactSecrets(body, secrets).trim();
  if (!text) return '';
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const error = json.error as Record<string, unknown> | string | undefined;
    // the first field that holds text: a `detail` may be an object (`{}` beside a `message`)
    const candidates = [json.detail, typeof error === 'object' ? error?.message : error, json.message, json.title];
    const candidate = candidates.find((c): c is string => typeof c === 'string' && c.trim() !== '');
    if (candidate) return serverText(candidate.trim(), secrets);
  } catch {
    // not JSON: use the text itself
  }
  return serverText(text.replace(/\s+/g, ' '), secrets);
}

/** Longest piece of a server's text put into a message. */
const SERVER_TEXT_MAX = 300;

/** Text a server sent, fit for a message or the log: secrets redacted first, then cut to `max` characters. */
export function serverText(text: string, secrets: ErrorContext['secrets'], max = SERVER_TEXT_MAX): string {
  const redacted = redactSecrets(text, secrets);
  return redacted.length > max ? `${redacted.slice(0, max - 3)}...` : redacted;
}

/** Replaces every occurrence of a secret (and of its Bearer form) with "***". */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] | undefined): string {
  let out = text;
  for (const secret of secrets ?? []) {
    if (secret && secret.length >= 4) out = out.split(secret).join('***');
  }
  return out;
}
