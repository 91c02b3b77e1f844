import { closeSync, fstatSync, openSync, promises as fs, readFileSync, readSync } from 'node:fs';
import { writeFileAtomic } from './atomicWrite';
import { CaptionFormat, DEFAULT_FORMAT, DecodedCaption, decodeCaption, encodeCaption } from './captionCodec';

/** Captions beyond this size are not captions; they are refused rather than loaded whole. */
export const MAX_CAPTION_BYTES = 8 * 1024 * 1024;

export class CaptionTooLargeError extends Error {
  constructor(readonly file: string, size: number) {
    super(`${file} is ${(size / 1024 / 1024).toFixed(1)} MB, too large for a caption (limit ${MAX_CAPTION_BYTES / 1024 / 1024} MB); it was left unchanged.`);
    this.name = 'CaptionTooLargeError';
  }
}

/** Reads a caption file; undefined when there is none. Throws for non-UTF-8 or oversized files. */
export async function readCaption(file: string): Promise<DecodedCaption | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const { size } = await handle.stat();
    if (size > MAX_CAPTION_BYTES) throw new CaptionTooLargeError(file, size);
    return decodeCaption(await handle.readFile(), file);
  } finally {
    await handle.close();
  }
}

/**
 * Writes a caption atomically in the existing file's format (BOM, newlines), or `format` /
 * LF without BOM for a new file. A non-UTF-8 existing file is refused and left as it was.
 */
export async function writeCaption(file: string, text: string, format?: CaptionFormat): Promise<void> {
  const existing = await readCaption(file); // throws for a file that must not be rewritten
  await writeFileAtomic(file, encodeCaption(text, format ?? existing?.format ?? DEFAULT_FORMAT));
}

/**
 * readCaption in one blocking call, for reading many small captions fast (async fs calls cost far
 * more than the read itself). `scratch` is reused across calls to avoid an allocation per file.
 */
export function readCaptionSync(file: string, scratch: Buffer = Buffer.allocUnsafe(64 * 1024)): DecodedCaption | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const n = readSync(fd, scratch, 0, scratch.length, 0);
    if (n < scratch.length) return decodeCaption(scratch.subarray(0, n), file);
    const { size } = fstatSync(fd);
    if (size > MAX_CAPTION_BYTES) throw new CaptionTooLargeError(file, size);
    return decodeCaption(readFileSync(fd), file); // positional reads left the fd at offset 0
  } finally {
    closeSync(fd);
  }
}
