import { createWriteStream, promises as fs, WriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

/** Buffered before waiting on the disk: many small members then go out in one writev. */
const WRITE_BUFFER = 16 * 1024 * 1024;

/**
 * A file written through a stream under a hidden temp name beside it (writeFileAtomic's naming) and
 * renamed into place only when complete, so a cancelled or failed export leaves no partial file.
 * No fsync: the guarantee is against cancellation and crashes of this process, not power loss.
 */
export class AtomicFileStream {
  private constructor(readonly file: string, private readonly temp: string, private readonly stream: WriteStream) {}

  static async open(file: string): Promise<AtomicFileStream> {
    const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    const stream = createWriteStream(temp, { flags: 'wx', mode: 0o644, highWaterMark: WRITE_BUFFER });
    await once(stream, 'open');
    return new AtomicFileStream(file, temp, stream);
  }

  /** Bytes handed to the stream so far. */
  get bytes(): number {
    return this.stream.bytesWritten + this.stream.writableLength;
  }

  /** Writes a chunk, waiting for the disk when the stream's buffer is full. */
  async write(chunk: string | Uint8Array): Promise<void> {
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async commit(): Promise<void> {
    this.stream.end();
    await finished(this.stream);
    await fs.rename(this.temp, this.file);
  }

  async discard(): Promise<void> {
    this.stream.destroy();
    await finished(this.stream).catch(() => undefined);
    await fs.rm(this.temp, { force: true });
  }
}
