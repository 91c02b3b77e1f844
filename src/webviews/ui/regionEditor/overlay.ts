/**
 * Draws the regions over the image on one canvas the size of the stage: outlines, numbers,
 * masks and the handles of the selected region. Masks are decoded once into a small canvas per
 * region and scaled by drawImage, so a frame costs the same at any zoom.
 */
import type { BinaryMask } from '../../../core/regions/binaryMask';
import { decodeRle } from '../../../core/regions/cocoRle';
import type { Region } from '../../protocol/regionEditorMessages';
import { handlesOf } from './hitTest';
import type { Viewport } from './viewport';

const PALETTE = ['#e6194b', '#3cb44b', '#ffe119', '#4363d8', '#f58231', '#911eb4', '#46f0f0', '#f032e6', '#bcf60c', '#fabebe', '#008080', '#9a6324'];

/** The colour of the region at `index` in the list (the list uses the same). */
export function regionColor(index: number): string {
  return PALETTE[index % PALETTE.length];
}

/** What is on the overlay besides the saved regions. */
export interface OverlayScene {
  readonly regions: readonly Region[];
  readonly selected?: string;
  /** A mask region being moved: drawn offset by (dx, dy) in 0..1 until it is dropped. */
  readonly maskOffset?: { readonly id: string; readonly dx: number; readonly dy: number };
  /** A rectangle being dragged: two corners in 0..1. */
  readonly dragBox?: readonly [number, number, number, number];
  /** A polygon being clicked, and where the pointer is. */
  readonly polygon?: { readonly points: ReadonlyArray<readonly [number, number]>; readonly hover?: readonly [number, number] };
  /** A mask being painted or segmented (full-image canvas at mask resolution). */
  readonly pendingMask?: HTMLCanvasElement;
  readonly segmentPoints?: ReadonlyArray<{ readonly x: number; readonly y: number; readonly positive: boolean }>;
  /** Brush outline under the pointer, in stage pixels. */
  readonly brush?: { readonly x: number; readonly y: number; readonly radius: number; readonly erase: boolean };
}

export class OverlayRenderer {
  private readonly ctx: CanvasRenderingContext2D;
  private readonly masks = new Map<string, { key: string; color: string; canvas: HTMLCanvasElement }>();

  constructor(private readonly canvas: HTMLCanvasElement, private readonly viewport: Viewport) {
    this.ctx = canvas.getContext('2d')!;
  }

  render(scene: OverlayScene): void {
    const { canvas, ctx } = this;
    const ratio = window.devicePixelRatio || 1;
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
      canvas.width = Math.round(w * ratio);
      canvas.height = Math.round(h * ratio);
    }
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const [ix, iy] = this.viewport.toStage(0, 0);
    const [ix2, iy2] = this.viewport.toStage(1, 1);
    scene.regions.forEach((region, i) => {
      const offset = scene.maskOffset?.id === region.id ? scene.maskOffset : undefined;
      const dx = offset ? offset.dx * (ix2 - ix) : 0;
      const dy = offset ? offset.dy * (iy2 - iy) : 0;
      this.drawRegion(region, regionColor(i), i + 1, region.id === scene.selected, [ix + dx, iy + dy, ix2 - ix, iy2 - iy]);
    });
    if (scene.pendingMask) {
      ctx.globalAlpha = 0.6;
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(scene.pendingMask, ix, iy, ix2 - ix, iy2 - iy);
      ctx.globalAlpha = 1;
    }
    if (scene.dragBox) {
      const [x1, y1] = this.viewport.toStage(scene.dragBox[0], scene.dragBox[1]);
      const [x2, y2] = this.viewport.toStage(scene.dragBox[2], scene.dragBox[3]);
      ctx.setLineDash([6, 4]);
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = 1.5;
      ctx.strokeRect(Math.min(x1, x2), Math.min(y1, y2), Math.abs(x2 - x1), Math.abs(y2 - y1));
      ctx.setLineDash([]);
    }
    if (scene.polygon) this.drawDraftPolygon(scene.polygon.points, scene.polygon.hover);
    for (const p of scene.segmentPoints ?? []) {
      const [x, y] = this.viewport.toStage(p.x, p.y);
      ctx.beginPath();
      ctx.arc(x, y, 5, 0, Math.PI * 2);
      ctx.fillStyle = p.positive ? '#3cb44b' : '#e6194b';
      ctx.fill();
      ctx.strokeStyle = '#fff';
      ctx.stroke();
    }
    if (scene.brush) {
      ctx.beginPath();
      ctx.arc(scene.brush.x, scene.brush.y, scene.brush.radius, 0, Math.PI * 2);
      ctx.strokeStyle = scene.brush.erase ? '#e6194b' : '#fff';
      ctx.lineWidth = 1;
      ctx.stroke();
    }
  }

  private drawRegion(region: Region, color: string, number: number, selected: boolean, image: readonly [number, number, number, number]): void {
    const { ctx, viewport } = this;
    ctx.strokeStyle = color;
    ctx.lineWidth = selected ? 3 : 2;
    ctx.fillStyle = `${color}33`;
    if (region.kind === 'polygon' && region.points && region.points.length > 0) {
      ctx.beginPath();
      for (const [i, [px, py]] of region.points.entries()) {
        const [x, y] = viewport.toStage(px, py);
        if (i === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      }
      ctx.closePath();
      ctx.fill();
      ctx.stroke();
    } else if (region.kind === 'mask' && region.rle) {
      const mask = this.maskCanvas(region, color);
      if (mask) {
        ctx.imageSmoothingEnabled = false;
        ctx.drawImage(mask, image[0], image[1], image[2], image[3]);
      }
      const [x, y, w, h] = region.bbox;
      const [sx, sy] = viewport.toStage(x, y);
      const [ex, ey] = viewport.toStage(x + w, y + h);
      ctx.setLineDash([4, 3]);
      ctx.strokeRect(sx, sy, ex - sx, ey - sy);
      ctx.setLineDash([]);
    } else {
      const [x, y, w, h] = region.bbox;
      const [sx, sy] = viewport.toStage(x, y);
      const [ex, ey] = viewport.toStage(x + w, y + h);
      ctx.fillRect(sx, sy, ex - sx, ey - sy);
      ctx.strokeRect(sx, sy, ex - sx, ey - sy);
    }
    const [lx, ly] = viewport.toStage(region.bbox[0], region.bbox[1]);
    ctx.fillStyle = color;
    ctx.fillRect(lx, ly - 16, 8 + 8 * String(number).length, 16);
    ctx.fillStyle = '#000';
    ctx.font = 'bold 12px sans-serif';
    ctx.fillText(String(number), lx + 4, ly - 4);
    if (selected) {
      for (const handle of handlesOf(region, viewport)) {
        ctx.fillStyle = '#fff';
        ctx.strokeStyle = color;
        ctx.lineWidth = 1.5;
        ctx.fillRect(handle.x - 4, handle.y - 4, 8, 8);
        ctx.strokeRect(handle.x - 4, handle.y - 4, 8, 8);
      }
    }
  }

  private drawDraftPolygon(points: ReadonlyArray<readonly [number, number]>, hover?: readonly [number, number]): void {
    const { ctx, viewport } = this;
    if (points.length === 0) return;
    ctx.beginPath();
    for (const [i, [px, py]] of points.entries()) {
      const [x, y] = viewport.toStage(px, py);
      if (i === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
    if (hover) ctx.lineTo(...viewport.toStage(hover[0], hover[1]));
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 1.5;
    ctx.setLineDash([6, 4]);
    ctx.stroke();
    ctx.setLineDash([]);
    for (const [px, py] of points) {
      const [x, y] = viewport.toStage(px, py);
      ctx.fillStyle = '#fff';
      ctx.fillRect(x - 3, y - 3, 6, 6);
    }
  }

  /** The region's mask as a tinted canvas, decoded once per mask (and colour). */
  private maskCanvas(region: Region, color: string): HTMLCanvasElement | undefined {
    const key = typeof region.rle!.counts === 'string' ? region.rle!.counts : region.rle!.counts.join(',');
    const cached = this.masks.get(region.id);
    if (cached && cached.key === key && cached.color === color) return cached.canvas;
    let mask: BinaryMask;
    try {
      mask = decodeRle(region.rle!);
    } catch {
      // the host refuses masks that do not decode; one changed on disk is drawn as its box only
      return undefined;
    }
    const canvas = maskToCanvas(mask, color, 0x77);
    this.masks.set(region.id, { key, color, canvas });
    return canvas;
  }
}

/** A canvas of the mask's size with its set pixels in `color` at `alpha` (0..255). */
export function maskToCanvas(mask: BinaryMask, color: string, alpha: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = mask.width;
  canvas.height = mask.height;
  const ctx = canvas.getContext('2d')!;
  const pixels = ctx.createImageData(mask.width, mask.height);
  const r = parseInt(color.slice(1, 3), 16);
  const g = parseInt(color.slice(3, 5), 16);
  const b = parseInt(color.slice(5, 7), 16);
  const data = pixels.data;
  for (let i = 0; i < mask.data.length; i++) {
    if (!mask.data[i]) continue;
    data[i * 4] = r;
    data[i * 4 + 1] = g;
    data[i * 4 + 2] = b;
    data[i * 4 + 3] = alpha;
  }
  ctx.putImageData(pixels, 0, 0);
  return canvas;
}
