import { closeSync, constants, fstatSync, openSync, promises as fs, readSync, Stats } from 'node:fs';
import type { DatasetBoundary } from './datasetBoundary';

/**
 * Opening never blocks (a FIFO opens at once instead of waiting for a writer) and, where the
 * platform has it, never follows a link in the last component silently: a link is resolved and
 * checked against the dataset first.
 */
const NONBLOCK = constants.O_NONBLOCK ?? 0;
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const READ = constants.O_RDONLY | NONBLOCK;

/** A folder, FIFO, socket or device where a file was expected: it is never read. */
export class NotRegularFileError extends Error {
  constructor(readonly file: string, readonly what: string) {
    super(`${file} is ${what}, not a regular file; it is not read.`);
    this.name = 'NotRegularFileError';
  }
}

/** A file larger than what its kind may be (a caption, a sidecar, an import source). */
export class FileTooLargeError extends Error {
  constructor(readonly file: string, readonly limit: number, readonly size?: number) {
    super(`${file} is ${size !== undefined ? formatMB(size) : `over ${formatMB(limit)}`}, more than the ${formatMB(limit)} allowed for it; it was not read.`);
    this.name = 'FileTooLargeError';
  }
}

/** What a non-regular file is, in words. */
export function describeFileKind(stat: Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

export interface OpenedFile {
  readonly handle: fs.FileHandle;
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * Opens a regular file for reading; undefined when it does not exist. With a boundary, the file's
 * folder and (for a link) the file's real path must lie inside it. Throws NotRegularFileError,
 * OutsideDatasetError, or the file system's error.
 */
export async function openRegularFile(file: string, boundary?: DatasetBoundary): Promise<OpenedFile | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await openChecked(file, boundary);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new NotRegularFileError(file, describeFileKind(stat));
    return { handle, size: stat.size, mtimeMs: stat.mtimeMs };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

async function openChecked(file: string, boundary?: DatasetBoundary): Promise<fs.FileHandle> {
  if (!boundary) return fs.open(file, READ);
  await boundary.checkFolderOf(file);
  if (!NOFOLLOW) return fs.open(await boundary.realFile(file), READ);
  try {
    return await fs.open(file, READ | NOFOLLOW);
  } catch (err) {
    if (!isLinkRefusal(err)) throw err;
    return fs.open(await boundary.realFile(file), READ | NOFOLLOW);
  }
}

/**
 * Reads a regular file whole, at most `limit` bytes (one more is read to tell an oversized file,
 * whatever its stat says); undefined when it does not exist.
 */
export async function readRegularFile(file: string, limit: number, boundary?: DatasetBoundary): Promise<Buffer | undefined> {
  const opened = await openRegularFile(file, boundary);
  if (!opened) return undefined;
  const { handle, size } = opened;
  try {
    if (size > limit) throw new FileTooLargeError(file, limit, size);
    let buffer: Buffer = Buffer.allocUnsafe(Math.min(size, limit) + 1);
    let length = 0;
    for (;;) {
      const wanted = buffer.length - length;
      const { bytesRead } = await handle.read(buffer, length, wanted, length);
      length += bytesRead;
      if (bytesRead < wanted) return buffer.subarray(0, length); // a short read of a regular file is its end
      if (length === buffer.length) buffer = grown(buffer, length, file, limit);
    }
  } finally {
    await handle.close();
  }
}

/**
 * readRegularFile in blocking calls, for reading many small files fast. `scratch` is reused across
 * calls (the result is a view of it when it fits: copy it before the next call).
 */
export function readRegularFileSync(file: string, limit: number, boundary?: DatasetBoundary, scratch?: Buffer): Buffer | undefined {
  const opened = openRegularFileSync(file, boundary);
  if (!opened) return undefined;
  const { fd, size } = opened;
  try {
    if (size > limit) throw new FileTooLargeError(file, limit, size);
    const wanted = Math.min(size, limit) + 1;
    let buffer: Buffer = scratch && scratch.length >= wanted ? scratch : Buffer.allocUnsafe(wanted);
    let length = 0;
    for (;;) {
      const want = buffer.length - length;
      const n = readSync(fd, buffer, length, want, length);
      length += n;
      if (n < want) return buffer.subarray(0, length); // a short read of a regular file is its end
      if (length === buffer.length) buffer = grown(buffer, length, file, limit);
    }
  } finally {
    closeSync(fd);
  }
}

/** openRegularFile in blocking calls: a descriptor the caller closes, or undefined when there is no file. */
export function openRegularFileSync(file: string, boundary?: DatasetBoundary): { readonly fd: number; readonly size: number } | undefined {
  let fd: number;
  try {
    fd = openCheckedSync(file, boundary);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new NotRegularFileError(file, describeFileKind(stat));
    return { fd, size: stat.size };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

function openCheckedSync(file: string, boundary?: DatasetBoundary): number {
  if (!boundary) return openSync(file, READ);
  boundary.checkFolderOfSync(file);
  if (!NOFOLLOW) return openSync(boundary.realFileSync(file), READ);
  try {
    return openSync(file, READ | NOFOLLOW);
  } catch (err) {
    if (!isLinkRefusal(err)) throw err;
    return openSync(boundary.realFileSync(file), READ | NOFOLLOW);
  }
}

/** A full buffer of a file that grew past its stat size: a larger one, or FileTooLargeError past the limit. */
function grown(buffer: Buffer, length: number, file: string, limit: number): Buffer {
  if (length > limit) throw new FileTooLargeError(file, limit);
  const next = Buffer.allocUnsafe(Math.min(Math.max(length * 2, 64 * 1024), limit + 1));
  buffer.copy(next, 0, 0, length);
  return next;
}

/** O_NOFOLLOW on a link fails with ELOOP (Linux, macOS) or EMLINK (FreeBSD). */
function isLinkRefusal(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ELOOP' || code === 'EMLINK';
}

function formatMB(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${bytes} bytes`;
}
