import { once } from 'node:events';
import { pack, type Pack, type Header } from 'tar-stream';
import type { DatasetBoundary } from '../files/datasetBoundary';
import { openRegularFile } from '../files/regularFile';
import { AtomicFileStream } from './atomicFileStream';
import { EXPORT_MTIME } from './exportTypes';
import type { ImageHead } from './imageHead';

const BLOCK = 512;
/** Two zero blocks close a tar archive. */
export const TAR_END_BYTES = 2 * BLOCK;
const READ_CHUNK = 1024 * 1024;

/** Bytes a member with a short ASCII name takes in a tar: one header block plus the data padded to blocks. */
export function tarMemberBytes(size: number): number {
  return BLOCK + Math.ceil(size / BLOCK) * BLOCK;
}

/** Everything but name and size is fixed, so the same members always give the same bytes. */
function header(name: string, size: number): Header {
  return {
    name, size, type: 'file', mode: 0o644, mtime: EXPORT_MTIME,
    uid: 0, gid: 0, uname: '', gname: '', linkname: '', devmajor: 0, devminor: 0,
  };
}

/** One tar file written with tar-stream and streamed to disk under a temp name until `close`. */
export class TarShardWriter {
  private readonly tar: Pack = pack();
  private readonly drained: Promise<void>;
  /** Tar bytes of the members added so far, and of those handed to the file (written or copied). */
  private addedBytes = 0;
  private writtenBytes = 0;
  private waiters: Array<{ readonly upTo: number; readonly resolve: () => void }> = [];

  private constructor(private readonly out: AtomicFileStream) {
    this.tar.on('error', () => undefined); // surfaced by the drain loop and the entry callbacks
    this.drained = this.drain().catch((err: Error) => {
      this.tar.destroy(err);
      throw err;
    });
    this.drained.catch(() => undefined); // awaited in close; a failure also reaches the entry being written
  }

  static async open(file: string, options: { readonly slowWriteMs?: number } = {}): Promise<TarShardWriter> {
    return new TarShardWriter(await AtomicFileStream.open(file, options));
  }

  get file(): string {
    return this.out.file;
  }

  /**
   * Resolves once every member added so far has reached the file, so the buffers they were given
   * may be reused (tar-stream may still hold them after an entry's callback).
   */
  async flushed(): Promise<void> {
    const upTo = this.addedBytes;
    if (this.writtenBytes >= upTo) return;
    await Promise.race([new Promise<void>((resolve) => this.waiters.push({ upTo, resolve })), this.drained.then(() => undefined)]);
  }

  async addBuffer(name: string, data: Uint8Array): Promise<void> {
    this.addedBytes += tarMemberBytes(data.byteLength);
    await new Promise<void>((resolve, reject) => {
      this.tar.entry(header(name, data.byteLength), data, (err) => (err ? reject(err) : resolve())).on('error', () => undefined);
    });
  }

  /** Writes an image as one member: its head, then the rest streamed from disk a chunk at a time. */
  async addImage(name: string, file: string, boundary: DatasetBoundary, image: ImageHead, signal?: AbortSignal): Promise<void> {
    // Nearly every image fits in the head read ahead: one buffer entry, no entry stream.
    if (image.head.length === image.size) return this.addBuffer(name, image.head);
    this.addedBytes += tarMemberBytes(image.size);
    let sink!: ReturnType<Pack['entry']>;
    const written = new Promise<void>((resolve, reject) => {
      sink = this.tar.entry(header(name, image.size), (err) => (err ? reject(err) : resolve()));
    });
    sink.on('error', () => undefined); // the entry callback reports it
    written.catch(() => undefined);
    const write = async (chunk: Buffer): Promise<void> => {
      if (!sink.write(chunk)) await Promise.race([once(sink, 'drain'), written]);
    };
    try {
      if (image.head.length > 0) await write(image.head);
      if (image.head.length < image.size) await streamRest(file, boundary, image, write, signal);
    } catch (err) {
      sink.destroy(err as Error);
      throw err;
    }
    sink.end(null);
    await written;
  }

  async close(): Promise<void> {
    this.tar.finalize();
    await this.drained;
    await this.out.commit();
  }

  async discard(): Promise<void> {
    this.tar.destroy(new Error('The shard was discarded.'));
    await this.drained.catch(() => undefined);
    await this.out.discard();
  }

  /**
   * Moves the tar's bytes to the file as they are produced: synchronously while storage keeps up
   * (no promise per chunk), pausing the tar for each awaited write once it has turned slow.
   */
  private written(bytes: number): void {
    this.writtenBytes += bytes;
    if (!this.waiters.length) return;
    const ready = this.waiters.filter((waiter) => waiter.upTo <= this.writtenBytes);
    this.waiters = this.waiters.filter((waiter) => waiter.upTo > this.writtenBytes);
    for (const waiter of ready) waiter.resolve();
  }

  private drain(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let writing = Promise.resolve();
      // A failed write is kept: the tar may already have ended (its last chunk written after 'end'),
      // and a shard with a lost write must never be committed.
      let failure: Error | undefined;
      const fail = (err: Error): void => {
        failure ??= err;
        this.tar.destroy(err);
      };
      this.tar.on('data', (data: unknown) => {
        const chunk = data as Uint8Array;
        try {
          if (this.out.writeNow(chunk)) return this.written(chunk.byteLength);
        } catch (err) {
          return fail(err as Error);
        }
        this.tar.pause();
        writing = writing
          .then(() => this.out.write(chunk))
          .then(() => {
            this.written(chunk.byteLength);
            this.tar.resume();
          }, fail);
      });
      this.tar.once('end', () => writing.then(() => (failure ? reject(failure) : resolve()), reject));
      this.tar.once('error', (err: Error) => reject(failure ?? err));
    });
  }
}

/** The bytes of `file` past the head, in chunks; throws if the file is now shorter than it was. */
async function streamRest(file: string, boundary: DatasetBoundary, image: ImageHead, write: (chunk: Buffer) => Promise<void>, signal?: AbortSignal): Promise<void> {
  const opened = await openRegularFile(file, boundary);
  if (!opened) throw new Error(`${file} was removed while it was being exported; export again.`);
  const { handle } = opened;
  try {
    for (let position = image.head.length; position < image.size; ) {
      signal?.throwIfAborted();
      const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK, image.size - position));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) throw new Error(`${file} shrank while it was being exported (${image.size} bytes expected, ${position} read); export again.`);
      position += bytesRead;
      await write(bytesRead < chunk.length ? chunk.subarray(0, bytesRead) : chunk);
    }
  } finally {
    await handle.close();
  }
}
