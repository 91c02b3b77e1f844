/**
 * Messages between the Explore panel ("Visualize Dataset") and its host: one union per direction.
 * Item i of a `layout` is point i of the plot; every later message names items by that index
 * (the host keeps the same list until the next layout).
 */
import type { ClusterSummary, ExploreLayout, KSuggestionResult, Projection } from '../../core/explore/exploreTypes';
import type { PackedTexts } from './packedTexts';

export type { ClusterSummary, ExploreLayout, KSuggestionResult, Projection };

export type ExploreTarget = 'captions' | 'images';

/** Which images the panel lays out. */
export type ExploreScope =
  | { readonly kind: 'dataset' }
  | { readonly kind: 'folder'; readonly relPath: string }
  /** The Dataset view's selection when the run started (its relative paths are kept in the state). */
  | { readonly kind: 'selection'; readonly relPaths?: readonly string[] }
  | { readonly kind: 'filter'; readonly query: string };

/** What one run computes; kept in the webview's state, so a reload restores the same view. */
export interface ExploreSettings {
  readonly target: ExploreTarget;
  readonly scope: ExploreScope;
  /** Id of an embedding source from `init.sources` ('builtin' is always there). */
  readonly sourceId: string;
  readonly k: number;
  readonly projection: Projection;
}

/** An embedding source the user may pick for a target. */
export interface SourceChoice {
  readonly id: string;
  readonly label: string;
  readonly target: ExploreTarget;
  /** False when it cannot run now (no model set, untrusted folder, no key); `why` says what to do. */
  readonly available: boolean;
  readonly why?: string;
}

/** The items of a layout as parallel arrays, as the webview holds them. */
export interface ExploreItems {
  /** Dataset-relative image paths, '/'-separated. */
  readonly relPaths: readonly string[];
  readonly captions: readonly string[];
  /** 1 where the caption may be edited here (UTF-8, not shared by two images). */
  readonly editable: Uint8Array;
  /** Webview URI of the dataset folder: an image's src is imageBase + '/' + its encoded relPath. */
  readonly imageBase: string;
  /** Stars from the dataset's ratings file (0 unrated), one per item. */
  readonly ratings?: Uint8Array;
  /** Second captions ('' none), one per item; absent while `imageCaptioner.secondCaption.extension` is off. */
  readonly secondCaptions?: readonly string[];
}

/** ExploreItems on the wire: the two text columns as packed UTF-8. */
export interface PackedExploreItems {
  readonly relPaths: PackedTexts;
  readonly captions: PackedTexts;
  readonly editable: Uint8Array;
  readonly imageBase: string;
  readonly ratings?: Uint8Array;
  readonly secondCaptions?: PackedTexts;
}

/** Bulk actions the panel offers on a selection or a cluster. */
export type ExploreAction = 'showInDatasetView' | 'findReplace' | 'prefixSuffix' | 'editTags' | 'caption' | 'export' | 'clipScore';

export type ToExploreWebview =
  | {
      readonly type: 'init';
      readonly sources: readonly SourceChoice[];
      /** Folders of the dataset for the scope picker, '' for the root. */
      readonly folders: readonly string[];
      /** The Dataset view's current filter query ('' when none) and selection size. */
      readonly filterQuery: string;
      readonly selectionSize: number;
      readonly stopWords: readonly string[];
      /** False in an untrusted folder: model sources and model actions are off. */
      readonly trusted: boolean;
    }
  | { readonly type: 'progress'; readonly stage: string; readonly done: number; readonly total: number }
  | {
      readonly type: 'layout';
      readonly settings: ExploreSettings;
      /** Paths and captions packed (see packedTexts.ts); the webview unpacks them into ExploreItems. */
      readonly items: PackedExploreItems;
      readonly layout: ExploreLayout;
      readonly fromCache: boolean;
      /** Items left out (unreadable image, failed embedding), with why. */
      readonly failed: ReadonlyArray<{ readonly relPath: string; readonly error: string }>;
    }
  | { readonly type: 'kSuggestion'; readonly result: KSuggestionResult }
  /** A caption changed on disk or in another editor (or a gallery edit was saved). */
  | { readonly type: 'captionChanged'; readonly index: number; readonly text: string }
  | { readonly type: 'captionSaveFailed'; readonly index: number; readonly error: string }
  | { readonly type: 'cancelled' }
  | { readonly type: 'error'; readonly message: string }
  /** Stars changed (a key in the gallery or editor, the ratings file on disk): `stars[n]` is item `indices[n]`'s. */
  | { readonly type: 'ratingsChanged'; readonly indices: readonly number[]; readonly stars: readonly number[] }
  /** Second captions changed on disk (or by an edit here): `texts[n]` is item `indices[n]`'s ('' none). */
  | { readonly type: 'secondCaptionsChanged'; readonly indices: readonly number[]; readonly texts: readonly string[] };

export type FromExploreWebview =
  | { readonly type: 'ready' }
  | { readonly type: 'run'; readonly settings: ExploreSettings }
  | { readonly type: 'suggestK'; readonly settings: ExploreSettings; readonly min: number; readonly max: number }
  | { readonly type: 'cancel' }
  /** Save an edited caption through the caption file's document (the caption editor's rules). */
  | { readonly type: 'editCaption'; readonly index: number; readonly text: string }
  | { readonly type: 'openImage'; readonly index: number }
  | { readonly type: 'action'; readonly action: ExploreAction; readonly indices: readonly number[] }
  | { readonly type: 'setStopWords'; readonly words: readonly string[] };
