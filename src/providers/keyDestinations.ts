import { DEFAULT_NVCF_BASE_URL } from './nvcfAssets';
import type { KeyName, ModelEntry } from './types';

/**
 * Which origin may receive which API key. A key belongs to the hosts the built-in catalogue sends it
 * to; any other origin gets it only once the user approved that exact (key, origin) pair, and never
 * over plain http to another machine. Pure: the service layer asks the user and stores approvals.
 */

/** Where @huggingface/inference sends a token when a model names no endpoint (its hub lookup and its router). */
const HUGGING_FACE_ORIGINS = ['https://huggingface.co', 'https://router.huggingface.co'];
/** openai's default base URL, used when an entry names none. */
const OPENAI_ORIGIN = 'https://api.openai.com';

/** One approved pairing: this key may go to this origin. */
export interface KeyDestination {
  readonly key: KeyName;
  /** `scheme://host[:port]`, as `URL.origin` writes it. */
  readonly origin: string;
}

/** What may happen to a model's key. */
export type KeyVerdict =
  | { readonly kind: 'no-key' }
  | { readonly kind: 'allowed' }
  /** Never sent: plain http to a host that is not this machine. */
  | { readonly kind: 'refused'; readonly origin: string }
  /** Sent once the user approves each of these origins for the key. */
  | { readonly kind: 'needs-approval'; readonly origins: readonly string[] };

/** Each key's own origins: where the built-in models send it. */
export type OwnOrigins = ReadonlyMap<KeyName, ReadonlySet<string>>;

/** The origins a model's requests carry its key to (its base URL; for legacy NIM routes also its NVCF host, for assets and status polls). */
export function keyDestinations(model: ModelEntry): string[] {
  switch (model.provider) {
    case 'local':
      return [];
    case 'huggingface':
      return model.baseUrl ? [originOf(model.baseUrl)] : [...HUGGING_FACE_ORIGINS];
    case 'nim-legacy':
      // a 202 from any legacy route is polled at the NVCF host with the key, assets or not
      return unique([...(model.baseUrl ? [originOf(model.baseUrl)] : []), originOf(model.nvcfBaseUrl ?? DEFAULT_NVCF_BASE_URL)]);
    case 'openai-compatible':
    case 'dam':
      return [model.baseUrl ? originOf(model.baseUrl) : OPENAI_ORIGIN];
  }
}

/** Each key's own origins, from the built-in catalogue's models. */
export function ownOrigins(builtIn: readonly ModelEntry[]): OwnOrigins {
  const own = new Map<KeyName, Set<string>>();
  for (const model of builtIn) {
    if (model.key === 'none') continue;
    const origins = own.get(model.key) ?? new Set<string>();
    for (const origin of keyDestinations(model)) origins.add(origin);
    own.set(model.key, origins);
  }
  return own;
}

/** Whether `model`'s key may go where its requests go, given the built-in origins and what the user approved. */
export function keyVerdict(model: ModelEntry, own: OwnOrigins, isApproved: (pair: KeyDestination) => boolean): KeyVerdict {
  if (model.key === 'none') return { kind: 'no-key' };
  const destinations = keyDestinations(model);
  const plain = destinations.find((origin) => origin.startsWith('http:') && !isLoopback(origin));
  if (plain) return { kind: 'refused', origin: plain };
  const mine = own.get(model.key);
  const unapproved = destinations.filter((origin) => !mine?.has(origin) && !isApproved({ key: model.key, origin }));
  return unapproved.length === 0 ? { kind: 'allowed' } : { kind: 'needs-approval', origins: unapproved };
}

/** True for this machine: `localhost`, 127.0.0.0/8, ::1 (in any spelling the URL parser accepts, e.g. `0x7f.1`). */
export function isLoopback(origin: string): boolean {
  let host: string;
  try {
    host = new URL(origin).hostname;
  } catch {
    return false;
  }
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** `scheme://host[:port]` of a URL; a URL the parser refuses is its own (unapprovable) destination. */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
