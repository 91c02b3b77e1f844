import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import { pack, type Pack, type Header } from 'tar-stream';
import { AtomicFileStream } from './atomicFileStream';
import { EXPORT_MTIME } from './exportTypes';

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

  private constructor(private readonly out: AtomicFileStream) {
    this.tar.on('error', () => undefined); // surfaced by the drain loop and the entry callbacks
    this.drained = this.drain().catch((err: Error) => {
      this.tar.destroy(err);
      throw err;
    });
    this.drained.catch(() => undefined); // awaited in close; a failure also reaches the entry being written
  }

  static async open(file: string): Promise<TarShardWriter> {
    return new TarShardWriter(await AtomicFileStream.open(file));
  }

  get file(): string {
    return this.out.file;
  }

  async addBuffer(name: string, data: Uint8Array): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.tar.entry(header(name, data.byteLength), data, (err) => (err ? reject(err) : resolve())).on('error', () => undefined);
    });
  }

  /** Streams `size` bytes of `file` into one member; throws if the file changed size meanwhile. */
  async addFile(name: string, file: string, size: number, signal?: AbortSignal): Promise<void> {
    let sink!: ReturnType<Pack['entry']>;
    const written = new Promise<void>((resolve, reject) => {
      sink = this.tar.entry(header(name, size), (err) => (err ? reject(err) : resolve()));
    });
    sink.on('error', () => undefined); // the entry callback reports it
    written.catch(() => undefined);
    let read = 0;
    try {
      if (size > 0) {
        // Chunks no bigger than the file: a fixed 1 MB buffer per small image is mostly garbage.
        const highWaterMark = Math.min(size, READ_CHUNK);
        for await (const chunk of createReadStream(file, { highWaterMark, start: 0, end: size - 1 }) as AsyncIterable<Buffer>) {
          signal?.throwIfAborted();
          read += chunk.byteLength;
          if (!sink.write(chunk)) await Promise.race([once(sink, 'drain'), written]);
        }
      }
      if (read !== size) throw new Error(`${file} changed size while it was being exported (${size} bytes expected, ${read} read); export again.`);
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
    this.tar.destroy(new Error('The export was cancelled.'));
    await this.drained.catch(() => undefined);
    await this.out.discard();
  }

  private async drain(): Promise<void> {
    for await (const chunk of this.tar) await this.out.write(chunk as Uint8Array);
  }
}
