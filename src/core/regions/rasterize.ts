/**
 * Regions to pixels. A pixel is inside a shape when its centre is (even-odd rule for polygons,
 * so a self-crossing outline leaves its overlaps out). Browser-safe.
 */
import { BinaryMask, emptyMask, resizeMask } from './binaryMask';
import { decodeRle } from './cocoRle';
import type { Region } from './regionTypes';

type Point = readonly [number, number];

/** Fills a polygon given in 0..1 of the image on a width x height grid. */
export function rasterizePolygon(points: ReadonlyArray<Point>, width: number, height: number): BinaryMask {
  const mask = emptyMask(width, height);
  if (points.length < 3) return mask;
  const xs = points.map((p) => p[0] * width);
  const ys = points.map((p) => p[1] * height);
  const crossings: number[] = [];
  for (let row = 0; row < height; row++) {
    const cy = row + 0.5;
    crossings.length = 0;
    for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
      const y1 = ys[j];
      const y2 = ys[i];
      if ((y1 <= cy && y2 > cy) || (y2 <= cy && y1 > cy)) {
        crossings.push(xs[j] + ((cy - y1) / (y2 - y1)) * (xs[i] - xs[j]));
      }
    }
    crossings.sort((a, b) => a - b);
    for (let k = 0; k + 1 < crossings.length; k += 2) fillRow(mask, row, crossings[k], crossings[k + 1]);
  }
  return mask;
}

/** Fills a box [x, y, w, h] in 0..1 of the image. */
export function rasterizeBox(bbox: readonly [number, number, number, number], width: number, height: number): BinaryMask {
  const mask = emptyMask(width, height);
  const [x, y, w, h] = bbox;
  const top = y * height;
  const bottom = (y + h) * height;
  for (let row = 0; row < height; row++) {
    const cy = row + 0.5;
    if (cy >= top && cy < bottom) fillRow(mask, row, x * width, (x + w) * width);
  }
  return mask;
}

/** The pixels of any region on a width x height grid: its box, polygon, or mask (scaled when saved at another size). */
export function regionMask(region: Region, width: number, height: number): BinaryMask {
  if (region.kind === 'polygon' && region.points) return rasterizePolygon(region.points, width, height);
  if (region.kind === 'mask' && region.rle) return resizeMask(decodeRle(region.rle), width, height);
  return rasterizeBox(region.bbox, width, height);
}

/** Sets the pixels of `row` whose centres lie in [from, to). */
function fillRow(mask: BinaryMask, row: number, from: number, to: number): void {
  const start = Math.min(mask.width, Math.max(0, Math.ceil(from - 0.5)));
  const end = Math.min(mask.width, Math.ceil(to - 0.5));
  mask.data.fill(1, row * mask.width + start, row * mask.width + Math.max(start, end));
}
