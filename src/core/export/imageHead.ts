import { closeSync, readSync } from 'node:fs';
import { imageSize } from 'image-size';
import { openRegularFile, openRegularFileSync } from '../files/regularFile';
import { readImageHeader } from '../images/imageHeader';
import { pixelLimitReason } from '../images/imageLimits';
import { ExportSample } from './exportTypes';
import { imageError, Loaded } from './sampleSource';

/** Bytes read ahead of an image: all of a typical one, enough for its header in nearly every case. */
export const IMAGE_HEAD_BYTES = 1024 * 1024;

/** An image's size and first bytes; the rest, if any, is streamed from disk when the member is written. */
export interface ImageHead {
  readonly size: number;
  readonly head: Buffer;
  /** Pixel size as displayed; undefined when the header lies past `head` (readImageHeader then decides). */
  readonly width?: number;
  readonly height?: number;
}

function headOf(sample: ExportSample, size: number, head: Buffer, bytesRead: number): Loaded<ImageHead> {
  if (bytesRead < head.length) return { ok: false, skip: { path: sample.relPath, reason: 'image unreadable', detail: 'The file shrank while it was read.' } };
  return { ok: true, value: { size, head, ...pixelSize(head) } };
}

/** Reads the image's size and head in one blocking call (four syscalls, no thread-pool round trips). */
export function readImageHeadSync(sample: ExportSample, allocate: (size: number) => Buffer = Buffer.allocUnsafe): Loaded<ImageHead> {
  let opened;
  try {
    opened = openRegularFileSync(sample.imagePath, sample.boundary);
  } catch (err) {
    return imageError(sample, err);
  }
  if (!opened) return imageError(sample, Object.assign(new Error('The image no longer exists.'), { code: 'ENOENT' }));
  const { fd, size } = opened;
  try {
    const head = allocate(Math.min(size, IMAGE_HEAD_BYTES));
    return headOf(sample, size, head, head.length > 0 ? readSync(fd, head, 0, head.length, 0) : 0);
  } catch (err) {
    return imageError(sample, err);
  } finally {
    closeSync(fd);
  }
}

export async function readImageHead(sample: ExportSample): Promise<Loaded<ImageHead>> {
  let opened;
  try {
    opened = await openRegularFile(sample.imagePath, sample.boundary);
  } catch (err) {
    return imageError(sample, err);
  }
  if (!opened) return imageError(sample, Object.assign(new Error('The image no longer exists.'), { code: 'ENOENT' }));
  const { handle, size } = opened;
  try {
    const head = Buffer.allocUnsafe(Math.min(size, IMAGE_HEAD_BYTES));
    return headOf(sample, size, head, head.length > 0 ? (await handle.read(head, 0, head.length, 0)).bytesRead : 0);
  } catch (err) {
    return imageError(sample, err);
  } finally {
    await handle.close();
  }
}

/** The pixel size from the head, or from readImageHeader when the head does not hold it; a skip when neither can. */
export async function completePixelSize(sample: ExportSample, image: ImageHead): Promise<Loaded<{ width: number; height: number }>> {
  if (image.width !== undefined && image.height !== undefined) return withinPixelLimit(sample, image.width, image.height);
  const header = await readImageHeader(sample.imagePath, sample.boundary);
  if (header.width !== undefined && header.height !== undefined) return withinPixelLimit(sample, header.width, header.height);
  return { ok: false, skip: { path: sample.relPath, reason: 'image unreadable', detail: header.error ?? 'The pixel size cannot be read.' } };
}

/** A header claiming more pixels than one decode may take is a likely decompression bomb: a trainer would choke on it, so it is not exported. */
function withinPixelLimit(sample: ExportSample, width: number, height: number): Loaded<{ width: number; height: number }> {
  const tooLarge = pixelLimitReason(width, height);
  return tooLarge ? { ok: false, skip: { path: sample.relPath, reason: 'image unreadable', detail: `The image cannot be exported: ${tooLarge}.` } } : { ok: true, value: { width, height } };
}

/** Pixel size as displayed, the rule readImageHeader applies: EXIF orientations 5-8 swap width and height. */
function pixelSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  // image-size takes an empty view of a larger buffer for a 0x0 TGA (its signature is that weak):
  // nothing is read from no bytes, and no image is 0 pixels wide.
  if (bytes.length === 0) return undefined;
  try {
    const size = imageSize(bytes);
    if (!size.width || !size.height) return undefined;
    const rotated = (size.orientation ?? 1) >= 5;
    return { width: rotated ? size.height : size.width, height: rotated ? size.width : size.height };
  } catch {
    return undefined; // a header beyond the bytes read, or not an image: readImageHeader decides
  }
}
