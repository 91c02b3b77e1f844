import { Readable } from 'node:stream';
import type { DatasetBoundary } from '../files/datasetBoundary';
import { openRegularFile } from '../files/regularFile';

const READ_CHUNK = 1024 * 1024;

/**
 * A stream of a file that opens it only when first read (fs.createReadStream opens at once), so an
 * archive can list thousands of files without holding thousands of descriptors. `onEnd` runs once read.
 */
export function lazyFileStream(file: string, boundary: DatasetBoundary, onEnd?: () => void): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    const opened = await openRegularFile(file, boundary);
    if (!opened) throw Object.assign(new Error(`${file} no longer exists.`), { code: 'ENOENT' });
    for await (const chunk of opened.handle.createReadStream({ highWaterMark: READ_CHUNK })) yield chunk as Buffer;
    onEnd?.();
  }
  return Readable.from(chunks(), { objectMode: false });
}

/** A stream of the UTF-8 text `parts` yields, produced only when read. */
export function lazyTextStream(parts: () => AsyncIterable<string>): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    for await (const part of parts()) yield Buffer.from(part, 'utf8');
  }
  return Readable.from(chunks(), { objectMode: false });
}
