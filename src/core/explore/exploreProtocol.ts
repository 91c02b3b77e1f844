/** Messages between the explore thread and its runner on the host. */
import type { ExploreInput, ExploreLayout, ExploreOptions, KSuggestionResult } from './exploreTypes';

/**
 * Slots of the shared cancel array: request `id` is cancelled when slot `id % CANCEL_SLOTS` holds `id`, so
 * cancelling one request never un-cancels another still queued (one slot would hold only the latest).
 */
export const CANCEL_SLOTS = 64;

/** Given to the thread when it starts. */
export interface ExploreThreadData {
  /** Int32Array of CANCEL_SLOTS over a SharedArrayBuffer (see CANCEL_SLOTS). */
  readonly cancel: SharedArrayBuffer;
  readonly progressMs: number;
}

/**
 * A request: `inputId` names the input's content; the thread keeps the reduction of the last input, so a
 * request whose `inputId`, `reducedDims` and `seed` match it skips TF-IDF and the SVD (and may omit `input`).
 */
interface Request {
  readonly id: number;
  readonly inputId: string;
  readonly input?: ExploreInput;
}

export type ToExploreThread =
  | (Request & { readonly kind: 'layout'; readonly options: ExploreOptions })
  | (Request & { readonly kind: 'suggestK'; readonly range: { readonly min: number; readonly max: number; readonly seed: number; readonly reducedDims: number } });

export type FromExploreThread =
  | { readonly kind: 'progress'; readonly id: number; readonly stage: string; readonly done: number; readonly total: number }
  | { readonly kind: 'layout'; readonly id: number; readonly layout: ExploreLayout }
  | { readonly kind: 'suggested'; readonly id: number; readonly result: KSuggestionResult }
  /** The thread holds no reduction for this inputId: send the request again with its input. */
  | { readonly kind: 'needInput'; readonly id: number }
  | { readonly kind: 'cancelled'; readonly id: number }
  /** `input` is true when the user must change the input (ExploreInputError), not a fault. */
  | { readonly kind: 'failed'; readonly id: number; readonly message: string; readonly input: boolean };
