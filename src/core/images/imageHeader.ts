import { promises as fs } from 'node:fs';
import { imageSizeFromFile } from 'image-size/fromFile';

export interface ImageHeader {
  readonly fileSize: number;
  readonly mtimeMs: number;
  /** Pixel size as displayed: EXIF orientations 5-8 swap width and height. */
  readonly width?: number;
  readonly height?: number;
  /** Why the file is not a usable image (missing, empty, not an image format we can parse). */
  readonly error?: string;
}

/** Reads only the header of an image: its size on disk and in pixels, or why it is unreadable. */
export async function readImageHeader(file: string): Promise<ImageHeader> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (err) {
    return { fileSize: 0, mtimeMs: 0, error: `Cannot read the image: ${(err as Error).message}` };
  }
  const base = { fileSize: stat.size, mtimeMs: Math.round(stat.mtimeMs) };
  if (stat.size === 0) return { ...base, error: 'The image file is empty (0 bytes).' };
  try {
    const size = await imageSizeFromFile(file);
    if (!size.width || !size.height) return { ...base, error: `Not a readable image: no pixel size in its ${size.type ?? 'unknown'} header.` };
    const rotated = (size.orientation ?? 1) >= 5;
    return { ...base, width: rotated ? size.height : size.width, height: rotated ? size.width : size.height };
  } catch (err) {
    return { ...base, error: `Not a readable image: ${(err as Error).message}` };
  }
}
