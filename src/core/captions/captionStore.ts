import type { DatasetBoundary } from '../files/datasetBoundary';
import { readRegularFile, readRegularFileSync } from '../files/regularFile';
import { writeFileAtomic } from './atomicWrite';
import { CaptionFormat, DEFAULT_FORMAT, DecodedCaption, decodeCaption, encodeCaption } from './captionCodec';

/** Captions beyond this size are not captions; they are refused rather than loaded whole. */
export const MAX_CAPTION_BYTES = 8 * 1024 * 1024;

/** What a caption over MAX_CAPTION_BYTES throws. */
export { FileTooLargeError as CaptionTooLargeError } from '../files/regularFile';

/**
 * Reads a caption file inside the dataset; undefined when there is none. Throws for a file that is
 * not UTF-8, too large, not a regular file (FIFO, device, folder) or outside the dataset (a link).
 */
export async function readCaption(file: string, boundary: DatasetBoundary): Promise<DecodedCaption | undefined> {
  const bytes = await readRegularFile(file, MAX_CAPTION_BYTES, boundary);
  return bytes && decodeCaption(bytes, file);
}

/**
 * readCaption in blocking calls, for reading many small captions fast (async fs calls cost far
 * more than the read itself). `scratch` is reused across calls to avoid an allocation per file.
 */
export function readCaptionSync(file: string, boundary: DatasetBoundary, scratch: Buffer = Buffer.allocUnsafe(64 * 1024)): DecodedCaption | undefined {
  const bytes = readRegularFileSync(file, MAX_CAPTION_BYTES, boundary, scratch);
  return bytes && decodeCaption(bytes, file);
}

/**
 * Writes a caption atomically in the existing file's format (BOM, newlines), or `format` / LF
 * without BOM for a new file. A file that may not be rewritten (not UTF-8, not regular, outside
 * the dataset) is refused and left as it was.
 */
export async function writeCaption(file: string, text: string, boundary: DatasetBoundary, format?: CaptionFormat): Promise<void> {
  const existing = await readCaption(file, boundary); // throws for a file that must not be rewritten
  await writeFileAtomic(file, encodeCaption(text, format ?? existing?.format ?? DEFAULT_FORMAT), boundary);
}
