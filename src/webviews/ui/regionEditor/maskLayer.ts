/**
 * A mask being painted (brush, eraser) or segmented, kept as a canvas over the whole image at
 * mask resolution; it becomes a mask region through encodeRle. Large images get a mask of at most
 * MAX_MASK_SIDE on their longer side: a brush is never finer than that, and the RLE stays small.
 */
import type { BinaryMask } from '../../../core/regions/binaryMask';

export const MAX_MASK_SIDE = 2048;
const PAINT = '#4363d8';

export class MaskLayer {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  /** Whether anything was painted since the layer was made or cleared. */
  touched = false;

  constructor(imageWidth: number, imageHeight: number) {
    const k = Math.min(1, MAX_MASK_SIDE / Math.max(imageWidth, imageHeight, 1));
    this.canvas = document.createElement('canvas');
    this.canvas.width = Math.max(1, Math.round(imageWidth * k));
    this.canvas.height = Math.max(1, Math.round(imageHeight * k));
    this.ctx = this.canvas.getContext('2d', { willReadFrequently: true })!;
  }

  get width(): number {
    return this.canvas.width;
  }

  get height(): number {
    return this.canvas.height;
  }

  /** Starts from an existing mask (resized by the canvas when its size differs). */
  load(mask: BinaryMask): void {
    const source = document.createElement('canvas');
    source.width = mask.width;
    source.height = mask.height;
    const sctx = source.getContext('2d')!;
    const pixels = sctx.createImageData(mask.width, mask.height);
    for (let i = 0; i < mask.data.length; i++) {
      if (mask.data[i]) {
        pixels.data[i * 4 + 2] = 0xd8;
        pixels.data[i * 4 + 3] = 255;
      }
    }
    sctx.putImageData(pixels, 0, 0);
    this.ctx.clearRect(0, 0, this.width, this.height);
    this.ctx.imageSmoothingEnabled = false;
    this.ctx.drawImage(source, 0, 0, this.width, this.height);
    this.touched = true;
  }

  /** Paints (or erases) a stroke from `a` to `b` (0..1 of the image) with `radius` in mask pixels. */
  stroke(a: readonly [number, number], b: readonly [number, number], radius: number, erase: boolean): void {
    const ctx = this.ctx;
    ctx.globalCompositeOperation = erase ? 'destination-out' : 'source-over';
    ctx.strokeStyle = PAINT;
    ctx.fillStyle = PAINT;
    ctx.lineCap = 'round';
    ctx.lineWidth = radius * 2;
    ctx.beginPath();
    ctx.moveTo(a[0] * this.width, a[1] * this.height);
    ctx.lineTo(b[0] * this.width, b[1] * this.height);
    ctx.stroke();
    ctx.beginPath();
    ctx.arc(b[0] * this.width, b[1] * this.height, radius, 0, Math.PI * 2);
    ctx.fill();
    ctx.globalCompositeOperation = 'source-over';
    this.touched = true;
  }

  /** The painted pixels as a mask (alpha above half counts, so anti-aliased rims do not grow it). */
  toMask(): BinaryMask {
    const { data } = this.ctx.getImageData(0, 0, this.width, this.height);
    const mask = new Uint8Array(this.width * this.height);
    for (let i = 0; i < mask.length; i++) mask[i] = data[i * 4 + 3] >= 128 ? 1 : 0;
    return { width: this.width, height: this.height, data: mask };
  }
}

/** The mask moved by (dx, dy) pixels; what leaves the image is cut off. */
export function shiftMask(mask: BinaryMask, dx: number, dy: number): BinaryMask {
  const data = new Uint8Array(mask.width * mask.height);
  for (let row = 0; row < mask.height; row++) {
    const from = row - dy;
    if (from < 0 || from >= mask.height) continue;
    for (let col = 0; col < mask.width; col++) {
      const src = col - dx;
      if (src >= 0 && src < mask.width) data[row * mask.width + col] = mask.data[from * mask.width + src];
    }
  }
  return { width: mask.width, height: mask.height, data };
}
