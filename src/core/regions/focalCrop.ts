/** DAM's focal crop, as its own model builds it: the region's box grown to 3x its width and height. */

/** How much larger than the region's box the crop is, on each axis. */
export const FOCAL_SCALE = 3;
/** Smallest crop side in pixels of the source image. */
export const FOCAL_MIN_SIDE = 48;

/**
 * The crop around a region's box (pixels of the source image, [x, y, w, h]): the box grown about its
 * centre to 3x width and height, each side at least 48 px (never more than the image), clipped to
 * the image; whole pixels that contain the grown box.
 */
export function focalCropBox(box: readonly [number, number, number, number], imageWidth: number, imageHeight: number): [number, number, number, number] {
  const [x0, x1] = grownSpan(box[0], box[2], imageWidth);
  const [y0, y1] = grownSpan(box[1], box[3], imageHeight);
  return [x0, y0, x1 - x0, y1 - y0];
}

function grownSpan(start: number, length: number, limit: number): [number, number] {
  const side = Math.min(limit, Math.max(length * FOCAL_SCALE, FOCAL_MIN_SIDE));
  const centre = start + length / 2;
  const from = Math.max(0, Math.floor(centre - side / 2));
  const to = Math.min(limit, Math.ceil(centre + side / 2));
  return [from, Math.max(from + 1, to)];
}
