/** Messages between the caption editor's host and its webview: one union per direction. */
import type { TagSuggestion } from '../../core/tagging/tagCompletion';

export type { TagSuggestion };

export interface ImageInfo {
  /** Webview URI of the image (or of a PNG preview for formats the webview cannot show); absent when it cannot be shown. */
  readonly src?: string;
  readonly fileName: string;
  readonly relativePath: string;
  readonly fileSize: number;
  readonly width?: number;
  readonly height?: number;
  /** Why the image cannot be shown, when it cannot. */
  readonly error?: string;
}

export interface CaptionInfo {
  readonly text: string;
  readonly fileName: string;
  /** False when the caption must not be edited here (not UTF-8, shared by two images). */
  readonly editable: boolean;
  readonly exists: boolean;
  /** What the user must know and do, e.g. how to resolve a collision. */
  readonly warning?: string;
}

export interface DatasetPosition {
  /** 1-based; 0 when the image is not part of the open dataset. */
  readonly index: number;
  readonly total: number;
  readonly uncaptioned: number;
}

export interface ModelChoice {
  readonly id: string;
  readonly label: string;
  readonly service: string;
}

/** A model's answer shown beside the caption until the user keeps or discards it. */
export interface CandidateUpdate {
  readonly id: string;
  readonly modelId: string;
  readonly modelLabel: string;
  readonly state: 'running' | 'done' | 'error' | 'cancelled';
  /** The text so far (streaming) or the final, cleaned caption. */
  readonly text: string;
  readonly elapsedMs?: number;
  readonly error?: string;
  /** Regions the model grounded (kept in the regions sidecar when the candidate is kept). */
  readonly groundedPhrases?: number;
  /** A tagger's answer: its tags in written order, each with its confidence (shown as chips; `text` is them joined). */
  readonly tags?: readonly CandidateTag[];
}

/** One tag of a tagger's candidate and the model's confidence in it (0..1). */
export interface CandidateTag {
  readonly tag: string;
  readonly score: number;
}

/** A tag rule the caption breaks (imageCaptioner.tagRules), with the title of its one-click fix. */
export interface TagRuleNote {
  readonly kind: 'missing-required-tag' | 'banned-tag' | 'tag-order';
  readonly message: string;
  readonly fixTitle: string;
}

export type ToWebviewMessage =
  | { readonly type: 'init'; readonly image: ImageInfo; readonly caption: CaptionInfo; readonly position: DatasetPosition }
  | { readonly type: 'models'; readonly models: readonly ModelChoice[]; readonly selected?: string; readonly canSend: boolean }
  | { readonly type: 'candidate'; readonly candidate: CandidateUpdate }
  | { readonly type: 'candidateRemoved'; readonly id: string }
  | { readonly type: 'captionChanged'; readonly text: string }
  | { readonly type: 'captionInfo'; readonly caption: CaptionInfo }
  | { readonly type: 'position'; readonly position: DatasetPosition }
  /** The answer to `completeTag` number `id` (an older id's answer is ignored). */
  | { readonly type: 'tagSuggestions'; readonly id: number; readonly suggestions: readonly TagSuggestion[] }
  /** The second caption file's field (imageCaptioner.secondCaption.extension): its text, file and state. */
  | { readonly type: 'secondCaption'; readonly caption: CaptionInfo }
  /** The second caption changed for any reason but the webview's own edits (undo, another editor, disk). */
  | { readonly type: 'secondCaptionChanged'; readonly text: string }
  /** The image's stars (0: unrated), at start and whenever they change. */
  | { readonly type: 'rating'; readonly stars: number }
  /** The tag rules the caption's current text breaks (empty: none, or no rules). */
  | { readonly type: 'tagRuleNotes'; readonly notes: readonly TagRuleNote[] };

export type NavigationIntent = 'next' | 'previous' | 'nextUncaptioned';

export type FromWebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'edit'; readonly text: string }
  | { readonly type: 'navigate'; readonly move: NavigationIntent }
  | { readonly type: 'openCaptionAsText' }
  | { readonly type: 'renameImage' }
  | { readonly type: 'editRegions' }
  | { readonly type: 'selectModel'; readonly modelId: string }
  | { readonly type: 'generate'; readonly modelIds?: readonly string[] }
  | { readonly type: 'compare' }
  | { readonly type: 'cancelGeneration' }
  /** "Trust This Folder…" in the untrusted notice: VS Code's own trust dialog. */
  | { readonly type: 'manageTrust' }
  | { readonly type: 'keepCandidate'; readonly id: string; readonly how: 'replace' | 'append' }
  | { readonly type: 'discardCandidate'; readonly id: string }
  /** Tags for the partial tag before the caret (autocomplete); answered by `tagSuggestions` with the same id. */
  | { readonly type: 'completeTag'; readonly id: number; readonly typed: string }
  /** The second caption field's whole text after an input event. */
  | { readonly type: 'editSecond'; readonly text: string }
  /** A tag chip clicked away: the candidate is kept without it. */
  | { readonly type: 'dropCandidateTag'; readonly id: string; readonly tag: string }
  /** Keys 0-5 or a click on a star: 0 clears the rating. */
  | { readonly type: 'rate'; readonly stars: number }
  /** Delete outside the caption: the image with its files goes to the dataset's trash. */
  | { readonly type: 'trash' }
  /** The fix of the tag rule note `index` (with its message, to refuse a note older than the text). */
  | { readonly type: 'fixTagRule'; readonly index: number; readonly message: string };
