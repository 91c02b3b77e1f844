import type { LengthPreset } from '../core/captioning/prompts';
import type { PreparedImage } from '../core/images/preparedImage';
import type { LocalDtype, LocalTask } from '../worker/protocol';

/** How a service is spoken to. */
export type ProviderKind = 'openai-compatible' | 'nim-legacy' | 'huggingface' | 'local' | 'dam';

/**
 * How the image travels in a chat message:
 * - `image_url`: OpenAI content parts, image part before the text part;
 * - `image_url-string`: a part whose `image_url` is the bare data URL string (older NVIDIA "nv-vlm" models);
 * - `inline-img`: the whole content is a string with `<img src="data:..." />` after the prompt (NIM legacy routes).
 */
export type ImageTransport = 'image_url' | 'image_url-string' | 'inline-img';

/** Which secret a model needs: the name used in SecretStorage and its environment-variable fallback. */
export type KeyName = 'nvidia' | 'huggingface' | 'openai' | 'none' | string;

/** Where a model's key comes from right now: none needed, VS Code's secret storage, an environment variable, or nowhere yet. */
export type KeySource =
  | { readonly kind: 'not-needed' }
  | { readonly kind: 'stored' }
  | { readonly kind: 'env'; readonly variable: string }
  | { readonly kind: 'missing' };

export type { ParamMap, ParamValue } from '../core/captioning/params';
import type { ParamMap } from '../core/captioning/params';

/** One model as data: built-in entries live in models/catalog.json, users add more in settings. */
export interface ModelEntry {
  /** Stable id, e.g. `nim/llama-3.2-11b-vision`. */
  readonly id: string;
  readonly label: string;
  readonly provider: ProviderKind;
  /** Base URL of the API: `https://integrate.api.nvidia.com/v1`, `http://localhost:11434/v1`, or a full legacy route. */
  readonly baseUrl?: string;
  /** The model id the service expects (omitted for routes that take none, e.g. Kosmos-2). */
  readonly model?: string;
  readonly imageTransport: ImageTransport;
  readonly key: KeyName;
  /** Longest image side sent, in pixels (default 1024). */
  readonly maxImageSide?: number;
  /** Largest base64 payload sent inline; NVIDIA's samples assert 180,000 characters. */
  readonly maxInlineBase64?: number;
  /** Upload images that cannot fit inline as NVCF assets (NIM legacy routes only). */
  readonly useAssets?: boolean;
  /** NVCF API base of a NIM legacy route: asset upload and status polls after HTTP 202 (default `https://api.nvcf.nvidia.com`). */
  readonly nvcfBaseUrl?: string;
  /** Hugging Face inference provider ("auto" or a named one) for `huggingface` models. */
  readonly hfProvider?: string;
  /** A system message sent first (e.g. `/no_think` for Nemotron Nano 12B v2 VL); none when omitted. */
  readonly systemPrompt?: string;
  /** `images`: how many images one request may carry (default 1); focal prompting sends a crop as a second image where it may. */
  readonly capabilities: { readonly stream: boolean; readonly grounding?: boolean; readonly images?: number };
  /** Default request parameters (`max_tokens`, `temperature`, `top_p`, ...), overridden by the user's. */
  readonly defaults: ParamMap;
  /** Client-side limits this entry sets itself (built-in or in settings). */
  readonly rateLimit?: RateLimit;
  /** Limits inherited from the entry's preset, kept apart: a user's own settings may lift them (see batchLimits). */
  readonly presetRateLimit?: RateLimit;
  /** Extra JSON fields always sent (e.g. Kosmos-2's `grounded_response`). */
  readonly extraBody?: Readonly<Record<string, unknown>>;
  /** Why the model may fail today (e.g. removed from NVIDIA's catalogue), shown with its errors. */
  readonly note?: string;
  /** Local models (provider `local`): how the worker runs `model` (a hub id or an absolute folder). */
  readonly local?: LocalModelOptions;
  /** Set for an embedding model (`POST {baseUrl}/embeddings`): it embeds, never captions. */
  readonly embedding?: EmbeddingModelOptions;
}

/** What an embedding model entry takes and how its requests are shaped. */
export interface EmbeddingModelOptions {
  /** Images go in `input` as data URLs beside texts (NV-CLIP and other multimodal embedders); texts only otherwise. */
  readonly images?: boolean;
  /** NIM's asymmetric retrievers require `input_type`; dataset items are "passage". Sent only when set. */
  readonly inputType?: 'query' | 'passage';
  /** NIM: how an input past the model's token limit is cut ("NONE": such an input fails). Sent only when set. */
  readonly truncate?: 'NONE' | 'START' | 'END';
  /** Output size, for models that take `dimensions` (OpenAI text-embedding-3). */
  readonly dimensions?: number;
  /** Inputs per request (default 32 texts, 8 images). */
  readonly batchSize?: number;
}

/** Client-side limits of a batch: requests per minute and requests in flight. */
export interface RateLimit {
  readonly rpm?: number;
  readonly concurrency?: number;
}

export interface LocalModelOptions {
  readonly task: LocalTask;
  readonly dtype?: LocalDtype;
  /** Images generated together (image-to-text models; default 8). */
  readonly batchSize?: number;
}

/** A phrase of the caption tied to boxes in the image (Kosmos-2 grounding); boxes are [x1,y1,x2,y2] in 0..1. */
export interface GroundedEntity {
  readonly phrase: string;
  readonly span?: readonly [number, number];
  readonly boxes: ReadonlyArray<readonly [number, number, number, number]>;
}

export interface CaptionRequest {
  readonly model: ModelEntry;
  readonly image: PreparedImage;
  /** Images sent after `image` in the same message (focal prompting's crop); only for models whose `capabilities.images` allows them. */
  readonly extraImages?: readonly PreparedImage[];
  readonly prompt: string;
  /** The length preset the prompt was built from (models that take a task instead of a prompt use it). */
  readonly length?: LengthPreset;
  /** Request parameters, defaults already merged; sent as JSON fields of the request. */
  readonly params: ParamMap;
  /** The key, or undefined for servers that need none. Never logged, never put in a message. */
  readonly apiKey?: string;
  readonly signal?: AbortSignal;
  /** Per-request limit; the request fails with kind 'timeout' after it. */
  readonly timeoutMs?: number;
  /** Streamed text as it arrives (only called when the model streams). */
  readonly onText?: (delta: string) => void;
}

export interface CaptionResult {
  /** The model's text as received (clean-up happens in core/captioning). */
  readonly text: string;
  readonly entities?: readonly GroundedEntity[];
  readonly finishReason?: string;
}

export type ProviderErrorKind =
  | 'auth' // 401/403: key missing, wrong or without access
  | 'not-found' // 404: wrong URL or model id
  | 'gone' // 404/410 on a route known to be retired
  | 'rate-limit' // 429
  | 'server' // 5xx
  | 'timeout'
  | 'unreachable' // no connection could be made: DNS, refused, no route, TLS
  | 'network' // the connection was lost on the way (reset, closed mid-reply)
  | 'bad-request' // 400/413/422: the request itself is wrong
  | 'bad-response' // unparseable or empty reply
  | 'cancelled';

/** A failure the user can act on. Its message never contains a key. */
export class ProviderError extends Error {
  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    readonly options: { readonly status?: number; readonly retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = 'ProviderError';
  }

  get status(): number | undefined {
    return this.options.status;
  }

  /** Delay the service asked for (Retry-After / retry-after-ms), if it did. */
  get retryAfterMs(): number | undefined {
    return this.options.retryAfterMs;
  }

  /** Whether trying again later can succeed. */
  get retryable(): boolean {
    // unreachable too: a blip passes, and a batch stops on its own after a few in a row (core/captioning/failFast)
    return this.kind === 'rate-limit' || this.kind === 'server' || this.kind === 'timeout' || this.kind === 'network' || this.kind === 'unreachable';
  }
}

/** One inference service. Implementations import no `vscode`: they are tested in plain Node. */
export interface CaptionProvider {
  readonly kind: ProviderKind;
  caption(request: CaptionRequest): Promise<CaptionResult>;
}

/**
 * A region of an image, for a service that describes masked regions itself (Describe Anything): the
 * image travels as a PNG in RGBA whose alpha channel is the region's mask (255 inside, 0 outside).
 */
export interface RegionRequest extends Omit<CaptionRequest, 'image' | 'extraImages' | 'length'> {
  readonly maskedImage: PreparedImage;
}

/** A provider that describes a masked region natively, beside captioning whole images. */
export interface RegionCaptionProvider extends CaptionProvider {
  describeRegion(request: RegionRequest): Promise<CaptionResult>;
}

/** True for providers with the native region capability. */
export function describesRegions(provider: CaptionProvider): provider is RegionCaptionProvider {
  return typeof (provider as Partial<RegionCaptionProvider>).describeRegion === 'function';
}
