/** The shared-tags pane's data (no imports: the webview's protocol uses it too). */

/** A tag some of the selected captions have. */
export interface TagCount {
  /** The spelling of its first occurrence in the selection. */
  readonly tag: string;
  /** Selected tag captions that have it. */
  readonly count: number;
}

export interface SharedTags {
  /** Captions looked at (the selection). */
  readonly selected: number;
  /** Of those, captions that are tag lists (an empty or missing caption is an empty list). */
  readonly tagCaptions: number;
  /** Captions left out as prose. */
  readonly prose: number;
  /** Captions left out because they could not be read as text (not UTF-8, unreadable): the pane's edits never write them. */
  readonly unreadable: number;
  /** Tags every tag caption has, by their mean position in the captions (ties: first seen first). */
  readonly all: readonly string[];
  /** Tags some but not all have, most frequent first (ties: first seen first). */
  readonly some: readonly TagCount[];
}
