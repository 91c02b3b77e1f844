/**
 * The Gallery panel's channel: one union per direction. Items travel packed (one UTF-8 byte array
 * per column plus end offsets), and the selection as a typed array of item indices, so 100,000
 * images cost the host a few ms to post. Every later message names an item by its index in the
 * items last sent. Browser-safe.
 */
import type { PackedTexts } from './packedTexts';
import type { ExploreScope } from './exploreMessages';
import type { SharedTags, TagCount } from '../../core/tagging/sharedTagsModel';
import type { TagSuggestion } from '../../core/tagging/tagCompletion';

/** The images shown, in order. */
export interface GalleryItems {
  /** Dataset-relative paths with '/' separators. */
  readonly relPaths: PackedTexts;
  /** Each image's caption ('' for none). */
  readonly captions: PackedTexts;
  /** Items the webview cannot display itself (TIFF): it asks for a preview with `preview`. */
  readonly needsPreview: Uint8Array;
  /** The webview URI of the dataset root: an item's image is `imageBase/relPath`. */
  readonly imageBase: string;
  /** Each caption's broken tag rules (banned tags, missing required tags), one plain-text line each; '' for none. */
  readonly ruleNotes: PackedTexts;
  /** Each image's stars from the dataset's ratings file (0 unrated). */
  readonly ratings: Uint8Array;
}

/** The tag rules the selected captions break (imageCaptioner.tagRules), for the shared-tags pane. */
export interface SelectionRuleMarks {
  /** Banned tags in the selection; `count`: captions that have it. */
  readonly banned: readonly TagCount[];
  /** Required tags missing; `count`: captions whose folder requires it and that lack it. */
  readonly missing: readonly TagCount[];
}

/** A change the shared-tags pane asks for on the selected captions (each is one bulk edit: one preview, one undo). */
export type SharedTagAction =
  /** `to` absent: the host asks for the new name. */
  | { readonly kind: 'rename'; readonly from: string; readonly to?: string }
  /** Removes the tag from every selected caption that has it. */
  | { readonly kind: 'remove'; readonly tag: string }
  /** The shared tags in their new order (each caption's shared tags take their own places in this order). */
  | { readonly kind: 'reorder'; readonly order: readonly string[] }
  /** Adds tags ("a, b") to every selected tag caption that lacks them. */
  | { readonly kind: 'add'; readonly tags: string; readonly position: 'start' | 'end' | 'after'; readonly after?: string }
  /** A tag rule's fix on every selected caption it concerns: the banned tag removed, the required tag added where required. */
  | { readonly kind: 'ruleFix'; readonly rule: 'banned-tag' | 'missing-required-tag'; readonly tag: string };

/**
 * What the webview keeps in its state (vscode.setState), so a window reload brings the panel back
 * (the serializer in src/commands/galleryCommands.ts): the scope, and the selection when it is small.
 */
export interface GalleryState {
  readonly thumb?: number;
  readonly scope?: ExploreScope;
  /** Selected relative paths; absent when the selection is large (state is serialized on every change). */
  readonly selected?: readonly string[];
  readonly target?: GalleryCaptionTarget;
}

/** Which caption file the cards show and the shared-tags pane edits: the caption, or the second caption (imageCaptioner.secondCaption.extension). */
export type GalleryCaptionTarget = 'caption' | 'second';

/** A bulk command run on the selection. */
export type GalleryBulkCommand = 'editTags' | 'findReplace' | 'caption';

export type ToGalleryWebview =
  /** `selected`: the selection kept by the host (a webview reloaded after being hidden, or a list that changed, keeps it). */
  | { readonly type: 'items'; readonly title: string; readonly items: GalleryItems; readonly selected: Uint32Array; readonly trusted: boolean; readonly scope: ExploreScope; readonly target: GalleryCaptionTarget; readonly secondCaption?: string }
  /** `ruleNote`: as in `GalleryItems.ruleNotes`. */
  | { readonly type: 'captionChanged'; readonly index: number; readonly text: string; readonly ruleNote: string }
  /** Stars changed (a key here or in the editor, the ratings file on disk): `stars[n]` is item `indices[n]`'s. */
  | { readonly type: 'ratingsChanged'; readonly indices: readonly number[]; readonly stars: readonly number[] }
  /** The pane for the selection the webview sent last (`revision` echoes it, so a stale answer is ignored). */
  | { readonly type: 'sharedTags'; readonly revision: number; readonly tags: SharedTags; readonly rules: SelectionRuleMarks }
  | { readonly type: 'previewReady'; readonly index: number; readonly src: string }
  /** A shared-tags action ended (applied, declined, failed): the pane's buttons work again. */
  | { readonly type: 'actionDone'; readonly outcome: 'applied' | 'declined' | 'failed' | 'cancelled' }
  | { readonly type: 'error'; readonly message: string }
  /** The answer to `completeTag` number `id` (an older id's answer is ignored). */
  | { readonly type: 'tagSuggestions'; readonly id: number; readonly suggestions: readonly TagSuggestion[] };

export type FromGalleryWebview =
  | { readonly type: 'ready' }
  /** The selected item indices, ascending; `revision` grows with each selection. */
  | { readonly type: 'select'; readonly revision: number; readonly indices: Uint32Array }
  | { readonly type: 'open'; readonly index: number }
  /** Rate the selection 0-5 stars. */
  | { readonly type: 'rate'; readonly stars: number }
  /** Move the selection to the dataset's trash. */
  | { readonly type: 'trash' }
  | { readonly type: 'bulk'; readonly command: GalleryBulkCommand }
  | { readonly type: 'tagAction'; readonly action: SharedTagAction }
  | { readonly type: 'preview'; readonly index: number }
  /** Tags for the partial tag typed in the shared-tags input (autocomplete); answered by `tagSuggestions`. */
  | { readonly type: 'completeTag'; readonly id: number; readonly typed: string }
  /** Show and edit the other caption file (offered while the dataset has second captions). */
  | { readonly type: 'target'; readonly target: GalleryCaptionTarget }
  /** A click on a card's rule badge: the host offers that image's fixes. */
  | { readonly type: 'fixRules'; readonly index: number };
