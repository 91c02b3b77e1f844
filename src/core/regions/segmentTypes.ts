/**
 * Click-to-segment: what a user's clicks and box ask of a segmenter (SAM), and what comes back.
 * Browser-safe (the region editor's webview bundles it): no Buffer, no Node imports.
 */

/** A click: positive points are inside the wanted region, negative ones outside it. */
export interface SegmentPoint {
  /** 0..1 of the image's width. */
  readonly x: number;
  /** 0..1 of the image's height. */
  readonly y: number;
  readonly positive: boolean;
}

/** Points and/or a box, all normalized to 0..1; the box as [x, y, w, h]. */
export interface SegmentPrompt {
  readonly points: ReadonlyArray<SegmentPoint>;
  readonly box?: readonly [number, number, number, number];
}

/** The mask a prompt gave: COCO RLE (compressed counts), its box, the model's own score. */
export interface SegmentResult {
  /** The mask as COCO RLE with compressed counts, at the size the image was decoded at (longer side <= the model's frame). */
  readonly rle: { readonly size: [number, number]; readonly counts: string };
  /** [x, y, w, h] in 0..1 of the image. */
  readonly bbox: [number, number, number, number];
  /** The model's predicted IoU of the mask it chose (the best of its candidates). */
  readonly score: number;
  /** The model id that made it (hub id or folder). */
  readonly model: string;
  /** Time in the worker for this request (an image seen before costs only the prompt encoder and mask decoder). */
  readonly millis: number;
}

/** Clicks per request: a person clicks a handful; thousands would only slow the decoder. */
export const MAX_SEGMENT_POINTS = 64;

/** Why a prompt cannot be segmented (in words a user can act on), or undefined when it can. */
export function segmentPromptProblem(prompt: SegmentPrompt): string | undefined {
  if (!prompt || !Array.isArray(prompt.points)) return 'the prompt has no list of points';
  if (prompt.points.length > MAX_SEGMENT_POINTS) return `a prompt takes at most ${MAX_SEGMENT_POINTS} points (it has ${prompt.points.length})`;
  const inside = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;
  for (const [i, point] of prompt.points.entries()) {
    if (!point || !inside(point.x) || !inside(point.y)) return `point ${i + 1} is not inside the image (x and y must be within 0..1)`;
    if (typeof point.positive !== 'boolean') return `point ${i + 1} does not say whether it is positive or negative`;
  }
  const box = prompt.box;
  if (box !== undefined) {
    if (!Array.isArray(box) || box.length !== 4 || !box.every(inside)) return 'the box is not [x, y, w, h] within 0..1';
    if (box[2] <= 0 || box[3] <= 0) return 'the box has zero area';
    if (box[0] + box[2] > 1 + 1e-9 || box[1] + box[3] > 1 + 1e-9) return 'the box reaches outside the image';
  }
  if (!prompt.points.some((point) => point.positive) && box === undefined) {
    return 'click a point on the object (a positive point) or draw a box around it; negative points alone select nothing';
  }
  return undefined;
}
