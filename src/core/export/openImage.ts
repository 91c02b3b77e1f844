import { promises as fs } from 'node:fs';
import { imageSize } from 'image-size';
import { readImageHeader } from '../images/imageHeader';
import { ExportSample } from './exportTypes';
import { Loaded } from './sampleSource';

/** Bytes read ahead of an image: all of a typical one, enough for its header in any case. */
export const IMAGE_HEAD_BYTES = 1024 * 1024;

/** An image opened for export: its size and pixel size known, its first bytes read, the rest still on disk. */
export interface OpenedImage {
  readonly size: number;
  readonly width: number;
  readonly height: number;
  readonly head: Buffer;
  /** Open while bytes past `head` remain; closed by `close`. */
  readonly rest?: fs.FileHandle;
}

export async function closeImage(image: OpenedImage): Promise<void> {
  await image.rest?.close();
}

/**
 * Opens the image, reads its size and first bytes, and takes the pixel size from those bytes (the
 * file is read once; readImageHeader would read it again). A header past the first megabyte falls
 * back to readImageHeader.
 */
export async function openImage(sample: ExportSample): Promise<Loaded<OpenedImage>> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(sample.imagePath, 'r');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    return { ok: false, skip: { path: sample.relPath, reason: missing ? 'image missing' : 'image unreadable', detail: (err as Error).message } };
  }
  let keepOpen = false;
  try {
    const { size } = await handle.stat();
    const head = Buffer.allocUnsafe(Math.min(size, IMAGE_HEAD_BYTES));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (bytesRead < head.length) return { ok: false, skip: { path: sample.relPath, reason: 'image unreadable', detail: 'The file shrank while it was read.' } };
    let pixels = pixelSize(head);
    if (!pixels) {
      const header = await readImageHeader(sample.imagePath);
      if (header.width === undefined || header.height === undefined) {
        return { ok: false, skip: { path: sample.relPath, reason: 'image unreadable', detail: header.error ?? 'The pixel size cannot be read.' } };
      }
      pixels = { width: header.width, height: header.height };
    }
    keepOpen = size > head.length;
    return { ok: true, value: { size, ...pixels, head, rest: keepOpen ? handle : undefined } };
  } finally {
    if (!keepOpen) await handle.close();
  }
}

/** Pixel size as displayed, as readImageHeader gives it: EXIF orientations 5-8 swap width and height. */
function pixelSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  try {
    const size = imageSize(bytes);
    if (size.width === undefined || size.height === undefined) return undefined;
    const rotated = (size.orientation ?? 1) >= 5;
    return { width: rotated ? size.height : size.width, height: rotated ? size.width : size.height };
  } catch {
    return undefined; // a header beyond the bytes read, or not an image: readImageHeader decides
  }
}
