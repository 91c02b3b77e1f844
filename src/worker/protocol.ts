/**
 * The protocol between the extension host and the local-model worker (dist/worker.js), spoken over
 * vscode-jsonrpc on the worker's stdin/stdout. Both sides import these constants; nothing else
 * crosses the process boundary.
 */
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type { SegmentPrompt, SegmentResult } from '../core/regions/segmentTypes';
import type { ScoredTag, TagOptions } from '../core/tagging/tagSelection';

/** How a local model is run: a transformers.js pipeline, or a model family's own generate loop. */
/** `wd-tagger`: a WD booru tagger (`model.onnx` + `selected_tags.csv`) run on onnxruntime-node directly, not through transformers.js. */
export type LocalTask = 'image-to-text' | 'florence2' | 'smolvlm' | 'feature-extraction' | 'image-feature-extraction' | 'clip' | 'sam' | 'wd-tagger';

/** Weight precision; models on the hub publish some of these as onnx/<name>_<dtype>.onnx. */
export type LocalDtype = 'fp32' | 'fp16' | 'q8' | 'q4' | 'q4f16';

export type DevicePreference = 'auto' | 'cpu' | 'cuda';

/** Tokens generated per caption when a request names no limit. */
export const DEFAULT_MAX_NEW_TOKENS = 128;

/** The Florence-2 tasks that answer with a caption (others answer with boxes or regions). */
export const FLORENCE_CAPTION_TASKS = ['<CAPTION>', '<DETAILED_CAPTION>', '<MORE_DETAILED_CAPTION>'] as const;
export type FlorenceCaptionTask = (typeof FLORENCE_CAPTION_TASKS)[number];

export interface ModelRef {
  /** A hub id (`onnx-community/Florence-2-base-ft`) or an absolute folder holding the model files. */
  readonly id: string;
  readonly task: LocalTask;
  readonly dtype?: LocalDtype;
}

/** An image by path (read by the worker) or as bytes (already prepared by the host). */
export type ImageInput = { readonly path: string } | { readonly base64: string; readonly name?: string };

export interface WorkerSettings {
  /** Where downloaded models are kept (the extension's global storage, never node_modules). */
  readonly cacheDir: string;
  /** A folder of models laid out as `<org>/<name>/`, checked before the hub. */
  readonly localModelPath?: string;
  /** False: never download (offline); a model must be in the cache or the local folder. */
  readonly allowRemoteModels: boolean;
  readonly device: DevicePreference;
  /** Threads onnxruntime may use per session (0: its default). */
  readonly threads?: number;
}

export interface WorkerInfo {
  readonly pid: number;
  readonly versions: { readonly node: string; readonly transformers: string };
  /** Execution providers this onnxruntime build can use (e.g. cpu, cuda). */
  readonly backends: readonly string[];
}

/** Every long request carries a ticket, echoed in its progress notifications. */
interface Ticketed {
  readonly ticket: number;
}

export interface CaptionParams extends Ticketed {
  readonly model: ModelRef;
  readonly images: readonly ImageInput[];
  /** A free-text prompt (SmolVLM) or a task token (`<CAPTION>` for Florence-2); ignored by image-to-text. */
  readonly prompt?: string;
  readonly maxNewTokens?: number;
  /** Stream text deltas as progress (single-image requests only). */
  readonly stream?: boolean;
}

/** Per item: a caption or why this one image failed (the others still count). */
export type ItemResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export interface CaptionReply {
  readonly items: readonly ItemResult<string>[];
  /** Where it ran: cpu or cuda. */
  readonly device: string;
}

export interface EmbedTextParams extends Ticketed {
  readonly model: ModelRef;
  readonly texts: readonly string[];
}

export interface EmbedImagesParams extends Ticketed {
  readonly model: ModelRef;
  readonly images: readonly ImageInput[];
}

/**
 * The vectors of the items that worked, one after another, as little-endian float32 in one base64
 * string (one encode and one decode per request); `failed` names the items that did not, by index.
 */
export interface EmbedReply {
  readonly dims: number;
  readonly count: number;
  readonly vectors: string;
  readonly failed: ReadonlyArray<{ readonly index: number; readonly error: string }>;
}

/** Click-to-segment: SAM (or SAM 2) on one image by path, prompted with points and/or a box (0..1). */
export interface SegmentParams extends Ticketed, SegmentPrompt {
  readonly model: ModelRef;
  readonly image: { readonly path: string };
}

/** The chosen mask (the host's SegmentResult without the model id, which the host knows), and how it was made. */
export interface SegmentReply extends Omit<SegmentResult, 'model'> {
  /** True when the image embedding came from the cache (only the prompt encoder and mask decoder ran). */
  readonly embeddingCached: boolean;
  readonly device: string;
}

/** Token counts for the token-budget lint with the tokenizer of `model` (its files must be here: nothing is downloaded). */
export interface CountTokensParams {
  readonly model: ModelRef;
  readonly texts: readonly string[];
  /** Texts over this many tokens also get where the budget rule cuts them. */
  readonly maxTokens: number;
}

/** Index-aligned with the texts: tokens without start/end tokens, and the budget cut (UTF-16 offset; -1 within the budget). */
export interface CountTokensReply {
  readonly counts: readonly number[];
  readonly cuts: readonly number[];
}

/** Tags images with a WD tagger (`model.task` is `wd-tagger`); images go by path so the worker reads and preprocesses them once. */
export interface TagParams extends Ticketed {
  readonly model: ModelRef;
  readonly images: readonly ImageInput[];
  /** Thresholds, MCut, rating, max, escaping, exclude list and trigger word, applied in the worker (only kept tags travel back). */
  readonly options: TagOptions;
}

/** Per image: its tags in written order (trigger word, rating, character, general by score), or why it failed. */
export interface TagReply {
  readonly items: readonly ItemResult<readonly ScoredTag[]>[];
  readonly device: string;
  /** Rows of the model's selected_tags.csv that were left out (the first few), so the host can say so once. */
  readonly labelProblems?: readonly string[];
}

export interface PrepareModelParams extends Ticketed {
  readonly model: ModelRef;
}

export interface CachedModel {
  /** The id as the hub names it (`org/name`). */
  readonly id: string;
  readonly folder: string;
  readonly bytes: number;
  readonly files: number;
}

export type Progress =
  | { readonly ticket: number; readonly kind: 'download'; readonly file: string; readonly loaded: number; readonly total: number }
  | { readonly ticket: number; readonly kind: 'items'; readonly done: number; readonly total: number }
  | { readonly ticket: number; readonly kind: 'text'; readonly delta: string };

/** Error codes of failed requests (ResponseError.code); `data` is always `{ kind }`. */
export const WorkerErrorCodes = {
  modelMissing: 1001,
  badInput: 1002,
  outOfMemory: 1003,
  failed: 1004,
  cancelled: 1005,
} as const;

export type WorkerErrorKind = 'model-missing' | 'bad-input' | 'out-of-memory' | 'failed';

export const Requests = {
  configure: new RequestType<WorkerSettings, WorkerInfo, void>('worker/configure'),
  caption: new RequestType<CaptionParams, CaptionReply, void>('worker/caption'),
  embedText: new RequestType<EmbedTextParams, EmbedReply, void>('worker/embedText'),
  embedImages: new RequestType<EmbedImagesParams, EmbedReply, void>('worker/embedImages'),
  segment: new RequestType<SegmentParams, SegmentReply, void>('worker/segment'),
  countTokens: new RequestType<CountTokensParams, CountTokensReply, void>('worker/countTokens'),
  tag: new RequestType<TagParams, TagReply, void>('worker/tag'),
  /** Loads a model (downloading what is missing) so the next request starts at once. */
  prepareModel: new RequestType<PrepareModelParams, { readonly device: string }, void>('worker/prepareModel'),
  listCachedModels: new RequestType<Record<string, never>, readonly CachedModel[], void>('worker/listCachedModels'),
  deleteCachedModel: new RequestType<{ readonly id: string }, { readonly deleted: boolean }, void>('worker/deleteCachedModel'),
} as const;

export const Notifications = {
  progress: new NotificationType<Progress>('worker/progress'),
} as const;

/** Packs per-item vectors (or errors) into a reply. */
export function encodeEmbeddings(items: ReadonlyArray<Float32Array | Error>): EmbedReply {
  const vectors = items.filter((item): item is Float32Array => !(item instanceof Error));
  const dims = vectors[0]?.length ?? 0;
  const packed = new Float32Array(vectors.length * dims);
  vectors.forEach((vector, i) => packed.set(vector, i * dims));
  const failed = items.flatMap((item, index) => (item instanceof Error ? [{ index, error: item.message }] : []));
  return { dims, count: items.length, vectors: Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength).toString('base64'), failed };
}

/** Unpacks a reply: each item's vector (a view into one decoded array) or why it failed. */
export function decodeEmbeddings(reply: EmbedReply): ItemResult<Float32Array>[] {
  const bytes = Buffer.from(reply.vectors, 'base64');
  const packed = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(packed.buffer).set(bytes);
  const errors = new Map(reply.failed.map((f) => [f.index, f.error]));
  let next = 0;
  return Array.from({ length: reply.count }, (_, index) => {
    const error = errors.get(index);
    if (error !== undefined) return { ok: false as const, error };
    const start = next++ * reply.dims;
    return { ok: true as const, value: packed.subarray(start, start + reply.dims) };
  });
}
