/**
 * Checks and clean-up of region shapes before they are kept: coordinates are clipped into the
 * image (0..1) and shapes with nothing left (zero area, a polygon of fewer than 3 points, an empty
 * mask) are refused with the reason. Browser-safe.
 */
import { RleError, rleExtent } from './cocoRle';
import type { Region } from './regionTypes';

type Box = [number, number, number, number];
type Point = [number, number];

/** Why a region cannot be kept, or undefined when it can. Checks the region as clipped to the image. */
export function validateRegionShape(region: Region): string | undefined {
  if (region.kind !== 'box' && region.kind !== 'polygon' && region.kind !== 'mask') return `its kind "${String(region.kind)}" is not box, polygon or mask`;
  if (!isBox(region.bbox)) return 'its "bbox" is not four numbers [x, y, w, h]';
  if (region.kind === 'polygon') {
    if (!Array.isArray(region.points) || !region.points.every(isPoint)) return 'its "points" are not a list of [x, y] numbers';
    const points = region.points.map(clipPoint);
    if (distinct(points) < 3) return 'a polygon needs at least 3 points';
    if (Math.abs(shoelace(points)) === 0) return 'the polygon has zero area (its points lie on one line, or outside the image)';
    return undefined;
  }
  if (region.kind === 'mask') {
    if (!region.rle) return 'a mask region has no "rle"';
    try {
      if (rleExtent(region.rle).area === 0) return 'the mask is empty';
    } catch (err) {
      if (err instanceof RleError) return `its mask cannot be decoded: ${err.message}`;
      throw err;
    }
    return undefined;
  }
  const [, , w, h] = clipBox(region.bbox);
  return w > 0 && h > 0 ? undefined : 'the box has zero area (or lies outside the image)';
}

/** The region clipped into the image: its box, its points, and for polygons and masks a box that fits the shape. */
export function clipRegion(region: Region): Region {
  if (region.kind === 'polygon' && region.points) {
    const points = region.points.map(clipPoint);
    return { ...region, points, bbox: boundsOf(points) };
  }
  if (region.kind === 'mask' && region.rle) {
    const { bounds } = rleExtent(region.rle);
    return { ...region, bbox: bounds ? roundBox(bounds) : clipBox(region.bbox) };
  }
  return { ...region, bbox: clipBox(region.bbox) };
}

/** A box given by two corners in any order, in 0..1, as [x, y, w, h] (what a drag draws). */
export function boxFromCorners(a: readonly [number, number], b: readonly [number, number]): Box {
  const [x1, y1] = clipPoint(a);
  const [x2, y2] = clipPoint(b);
  return roundBox([Math.min(x1, x2), Math.min(y1, y2), Math.abs(x2 - x1), Math.abs(y2 - y1)]);
}

/** The box around points in 0..1. */
export function boundsOf(points: ReadonlyArray<readonly [number, number]>): Box {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return roundBox([x, y, Math.max(...xs) - x, Math.max(...ys) - y]);
}

function clipBox(bbox: readonly [number, number, number, number]): Box {
  const [x, y, w, h] = bbox;
  const x1 = clamp01(Math.min(x, x + w));
  const y1 = clamp01(Math.min(y, y + h));
  const x2 = clamp01(Math.max(x, x + w));
  const y2 = clamp01(Math.max(y, y + h));
  return roundBox([x1, y1, x2 - x1, y2 - y1]);
}

function clipPoint(p: readonly [number, number]): Point {
  return [round(clamp01(p[0])), round(clamp01(p[1]))];
}

function distinct(points: readonly Point[]): number {
  return new Set(points.map((p) => `${p[0]},${p[1]}`)).size;
}

function shoelace(points: readonly Point[]): number {
  let sum = 0;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) sum += points[j][0] * points[i][1] - points[i][0] * points[j][1];
  return sum / 2;
}

function isBox(v: unknown): v is Box {
  return Array.isArray(v) && v.length === 4 && v.every((n) => typeof n === 'number' && Number.isFinite(n));
}

function isPoint(v: unknown): v is Point {
  return Array.isArray(v) && v.length === 2 && v.every((n) => typeof n === 'number' && Number.isFinite(n));
}

function roundBox(b: Box): Box {
  return [round(b[0]), round(b[1]), round(b[2]), round(b[3])];
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}

/** Six decimals: a millionth of the image side, finer than any pixel a person draws on. */
function round(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}
