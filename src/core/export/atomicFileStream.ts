import { promises as fs, writeSync } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

/** A write slower than this means slow storage: the rest of the file is written asynchronously. */
const SLOW_WRITE_MS = 20;

/**
 * A file written front to back under a hidden temp name beside it (writeFileAtomic's naming) and
 * renamed into place only when complete, so a cancelled or failed export leaves no partial file.
 *
 * Writes are synchronous while the disk keeps up: an async write is a thread-pool round trip whose
 * completion waits for the event loop; on 1.2 GB of tar members (10,000 images) that made the
 * export about 2x slower than blocking writes of the same chunks, each well under a millisecond.
 * Callers yield to the event loop between samples. No fsync: the guarantee is against
 * cancellation and crashes of this process, not power loss.
 */
export class AtomicFileStream {
  private position = 0;
  private sync = true;

  private constructor(readonly file: string, private readonly temp: string, private readonly handle: fs.FileHandle) {}

  static async open(file: string): Promise<AtomicFileStream> {
    const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    return new AtomicFileStream(file, temp, await fs.open(temp, 'wx', 0o644));
  }

  /** Bytes written so far. */
  get bytes(): number {
    return this.position;
  }

  async write(chunk: string | Uint8Array): Promise<void> {
    const data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    for (let done = 0; done < data.byteLength; ) {
      const rest = data.subarray(done);
      if (this.sync) {
        const started = performance.now();
        done += writeSync(this.handle.fd, rest, 0, rest.byteLength, this.position + done);
        this.sync = performance.now() - started <= SLOW_WRITE_MS;
      } else {
        done += (await this.handle.write(rest, 0, rest.byteLength, this.position + done)).bytesWritten;
      }
    }
    this.position += data.byteLength;
  }

  async commit(): Promise<void> {
    await this.handle.close();
    await fs.rename(this.temp, this.file);
  }

  async discard(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await fs.rm(this.temp, { force: true });
  }
}
