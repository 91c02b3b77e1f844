/** The regions sidecar's shape, browser-safe (no node imports): the host and the region editor's webview share it. */

/** `<stem>.regions.json` beside an image (schema in ARCHITECTURE.md: "Data on disk"). */
export interface RegionsSidecar {
  readonly version: 1;
  readonly image: { readonly width: number; readonly height: number };
  readonly regions: readonly Region[];
}

export interface Region {
  readonly id: string;
  readonly kind: 'box' | 'polygon' | 'mask';
  /** [x, y, w, h] in 0..1 of the image. */
  readonly bbox: readonly [number, number, number, number];
  readonly points?: ReadonlyArray<readonly [number, number]>;
  readonly rle?: { readonly size: readonly [number, number]; readonly counts: string | readonly number[] };
  readonly label?: string;
  readonly description: string;
  readonly model: string;
  readonly updated: string;
  /** Where the region came from: drawn by a person, segmented from clicks (SAM), or grounded by a model's caption. */
  readonly source?: 'user' | 'segment' | 'grounding';
}
