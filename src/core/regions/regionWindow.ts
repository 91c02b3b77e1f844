import { BinaryMask } from './binaryMask';
import { decodeRle } from './cocoRle';
import { regionMask } from './rasterize';
import type { Region } from './regionsSidecar';

/** A part of the image as [x, y, w, h] in 0..1 of it; [0, 0, 1, 1] is the whole image. */
export type Window = readonly [number, number, number, number];

/**
 * The region's pixels on a width x height grid that covers only `window` of the image (a crop):
 * boxes and polygons are rasterized in the window's coordinates (so the crop's edge stays sharp at any
 * zoom); a mask is sampled nearest-neighbour from its own grid. Browser-safe.
 */
export function regionMaskInWindow(region: Region, window: Window, width: number, height: number): BinaryMask {
  const [wx, wy, ww, wh] = window;
  if (region.kind === 'mask' && region.rle) return sampleWindow(decodeRle(region.rle), window, width, height);
  const moved: Region = {
    ...region,
    bbox: [(region.bbox[0] - wx) / ww, (region.bbox[1] - wy) / wh, region.bbox[2] / ww, region.bbox[3] / wh],
    points: region.points?.map(([x, y]) => [(x - wx) / ww, (y - wy) / wh] as const),
  };
  return regionMask(moved, width, height);
}

function sampleWindow(mask: BinaryMask, window: Window, width: number, height: number): BinaryMask {
  const [wx, wy, ww, wh] = window;
  const out = new Uint8Array(width * height);
  const sourceX = new Int32Array(width);
  for (let x = 0; x < width; x++) sourceX[x] = clampIndex(Math.floor((wx + ((x + 0.5) / width) * ww) * mask.width), mask.width);
  for (let y = 0; y < height; y++) {
    const sy = clampIndex(Math.floor((wy + ((y + 0.5) / height) * wh) * mask.height), mask.height);
    for (let x = 0; x < width; x++) out[y * width + x] = mask.data[sy * mask.width + sourceX[x]];
  }
  return { width, height, data: out };
}

function clampIndex(i: number, size: number): number {
  return Math.min(size - 1, Math.max(0, i));
}
