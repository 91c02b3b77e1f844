/** Which region or handle is under the pointer, and what dragging a handle does to a region. */
import { decodeRle } from '../../../core/regions/cocoRle';
import type { Region } from '../../protocol/regionEditorMessages';
import type { Viewport } from './viewport';

/** A handle of the selected region: a bbox corner or edge (boxes), or a vertex (polygons). */
export interface Handle {
  readonly x: number;
  readonly y: number;
  /** Box handles: which edges move ('n', 'se', ...); polygon handles: the vertex index. */
  readonly edges?: string;
  readonly vertex?: number;
}

const HANDLE_RADIUS = 7;

/** The handles drawn on a selected region, in stage pixels (masks are moved, not resized). */
export function handlesOf(region: Region, viewport: Viewport): Handle[] {
  if (region.kind === 'polygon' && region.points) {
    return region.points.map(([px, py], vertex) => {
      const [x, y] = viewport.toStage(px, py);
      return { x, y, vertex };
    });
  }
  if (region.kind !== 'box') return [];
  const [bx, by, bw, bh] = region.bbox;
  const [x1, y1] = viewport.toStage(bx, by);
  const [x2, y2] = viewport.toStage(bx + bw, by + bh);
  const mx = (x1 + x2) / 2;
  const my = (y1 + y2) / 2;
  return [
    { x: x1, y: y1, edges: 'nw' }, { x: mx, y: y1, edges: 'n' }, { x: x2, y: y1, edges: 'ne' },
    { x: x2, y: my, edges: 'e' }, { x: x2, y: y2, edges: 'se' }, { x: mx, y: y2, edges: 's' },
    { x: x1, y: y2, edges: 'sw' }, { x: x1, y: my, edges: 'w' },
  ];
}

/** The handle of `region` within reach of stage point (sx, sy). */
export function handleAt(region: Region, viewport: Viewport, sx: number, sy: number): Handle | undefined {
  return handlesOf(region, viewport).find((h) => Math.abs(h.x - sx) <= HANDLE_RADIUS && Math.abs(h.y - sy) <= HANDLE_RADIUS);
}

/** The topmost region containing the image point (nx, ny). */
export function regionAt(regions: readonly Region[], nx: number, ny: number): Region | undefined {
  for (let i = regions.length - 1; i >= 0; i--) if (contains(regions[i], nx, ny)) return regions[i];
  return undefined;
}

function contains(region: Region, nx: number, ny: number): boolean {
  const [x, y, w, h] = region.bbox;
  if (nx < x || ny < y || nx > x + w || ny > y + h) return false;
  if (region.kind === 'polygon' && region.points) return insidePolygon(region.points, nx, ny);
  if (region.kind === 'mask' && region.rle) {
    try {
      const mask = decodeRle(region.rle);
      const col = Math.min(mask.width - 1, Math.floor(nx * mask.width));
      const row = Math.min(mask.height - 1, Math.floor(ny * mask.height));
      return mask.data[row * mask.width + col] === 1;
    } catch {
      return true;
    }
  }
  return true;
}

function insidePolygon(points: ReadonlyArray<readonly [number, number]>, x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i];
    const [xj, yj] = points[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** The region with a handle dragged to image point (nx, ny). */
export function dragHandle(region: Region, handle: Handle, nx: number, ny: number): Region {
  if (handle.vertex !== undefined && region.points) {
    const points = region.points.map((p, i) => (i === handle.vertex ? ([nx, ny] as const) : p));
    return { ...region, points, bbox: bounds(points) };
  }
  const [x, y, w, h] = region.bbox;
  let x1 = x;
  let y1 = y;
  let x2 = x + w;
  let y2 = y + h;
  const edges = handle.edges ?? '';
  if (edges.includes('w')) x1 = nx;
  if (edges.includes('e')) x2 = nx;
  if (edges.includes('n')) y1 = ny;
  if (edges.includes('s')) y2 = ny;
  return { ...region, bbox: [Math.min(x1, x2), Math.min(y1, y2), Math.abs(x2 - x1), Math.abs(y2 - y1)] };
}

/** The region moved by (dx, dy) in 0..1; a mask's pixels move with it (see moveMaskRegion). */
export function moveShape(region: Region, dx: number, dy: number): Region {
  const [x, y, w, h] = region.bbox;
  const points = region.points?.map(([px, py]) => [px + dx, py + dy] as const);
  return { ...region, bbox: [x + dx, y + dy, w, h], ...(points ? { points } : {}) };
}

export function bounds(points: ReadonlyArray<readonly [number, number]>): [number, number, number, number] {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return [x, y, Math.max(...xs) - x, Math.max(...ys) - y];
}
