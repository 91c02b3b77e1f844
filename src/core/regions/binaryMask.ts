/**
 * A region's pixels: one byte per pixel, row-major, 1 inside and 0 outside. Browser-safe (the
 * region editor's webview bundles it): no Buffer, no Node imports.
 */
export interface BinaryMask {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** An empty mask of the given size. */
export function emptyMask(width: number, height: number): BinaryMask {
  return { width, height, data: new Uint8Array(width * height) };
}

/** How many pixels are inside. */
export function maskArea(mask: BinaryMask): number {
  let area = 0;
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i]) area++;
  return area;
}

/** The box of the pixels inside as [x, y, w, h] in 0..1 of the mask; undefined when none is. */
export function maskBounds(mask: BinaryMask): [number, number, number, number] | undefined {
  const { width, height, data } = mask;
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (!data[row + x]) continue;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  if (maxX < 0) return undefined;
  return [minX / width, minY / height, (maxX + 1 - minX) / width, (maxY + 1 - minY) / height];
}

/** The mask at another size, nearest neighbour (pixel centres map to pixel centres). */
export function resizeMask(mask: BinaryMask, width: number, height: number): BinaryMask {
  if (width === mask.width && height === mask.height) return mask;
  const out = new Uint8Array(width * height);
  const sourceX = new Int32Array(width);
  for (let x = 0; x < width; x++) sourceX[x] = Math.min(mask.width - 1, Math.floor(((x + 0.5) * mask.width) / width));
  for (let y = 0; y < height; y++) {
    const sy = Math.min(mask.height - 1, Math.floor(((y + 0.5) * mask.height) / height));
    const from = sy * mask.width;
    const to = y * width;
    for (let x = 0; x < width; x++) out[to + x] = mask.data[from + sourceX[x]];
  }
  return { width, height, data: out };
}
