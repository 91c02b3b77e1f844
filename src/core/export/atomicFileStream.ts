import { promises as fs, writeSync } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

/** A write slower than this means slow storage: the rest of the file is written asynchronously. */
const SLOW_WRITE_MS = 20;
/** Small writes (tar headers, padding, captions) are gathered into one write of up to this size; */
const GATHER_BYTES = 256 * 1024;
/** larger ones (images) go straight to the file, after what was gathered. */
const SMALL_WRITE_BYTES = 16 * 1024;

/**
 * A file written front to back under a hidden temp name beside it (writeFileAtomic's naming) and
 * renamed into place only when complete, so a cancelled or failed export leaves no partial file.
 *
 * Writes are synchronous while the disk keeps up: an async write is a thread-pool round trip whose
 * completion waits for the event loop; on 1.2 GB of tar members (10,000 images) that made the
 * export about 2x slower than blocking writes of the same chunks, each well under a millisecond.
 * Small writes (a tar member's header, padding, a caption) are gathered and written together:
 * one or two system calls per sample instead of nine lifted `export-wds` from 0.66-0.68x to
 * 0.74-0.84x `tar -cf`. Callers yield to the event loop between samples. No fsync: the guarantee is against
 * cancellation and crashes of this process, not power loss.
 */
export class AtomicFileStream {
  private position = 0;
  private sync = true;
  private readonly gathered = Buffer.allocUnsafe(GATHER_BYTES);
  private gatheredBytes = 0;

  private constructor(
    readonly file: string,
    private readonly temp: string,
    private readonly handle: fs.FileHandle,
    private readonly slowWriteMs: number,
  ) {}

  /** `slowWriteMs` (tests): how long a blocking write may take before the rest goes asynchronously. */
  static async open(file: string, options: { readonly slowWriteMs?: number } = {}): Promise<AtomicFileStream> {
    const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    return new AtomicFileStream(file, temp, await fs.open(temp, 'wx', 0o644), options.slowWriteMs ?? SLOW_WRITE_MS);
  }

  /** Bytes written so far. */
  get bytes(): number {
    return this.position + this.gatheredBytes;
  }

  /**
   * Writes at once when storage keeps up (small writes gathered, large ones blocking); false when
   * it has turned slow: the caller then awaits `write` instead.
   */
  writeNow(data: Uint8Array): boolean {
    if (!this.sync) return false;
    if (data.byteLength <= SMALL_WRITE_BYTES && this.gatheredBytes + data.byteLength <= GATHER_BYTES) {
      this.gathered.set(data, this.gatheredBytes);
      this.gatheredBytes += data.byteLength;
      return true;
    }
    this.flushSync();
    if (!this.sync) return false;
    if (data.byteLength <= SMALL_WRITE_BYTES) {
      this.gathered.set(data, 0);
      this.gatheredBytes = data.byteLength;
    } else {
      this.writeSyncOut(data);
    }
    return true;
  }

  private flushSync(): void {
    if (this.gatheredBytes === 0) return;
    const pending = this.gathered.subarray(0, this.gatheredBytes);
    this.gatheredBytes = 0;
    this.writeSyncOut(pending);
  }

  /** Blocking write of all of `data`, noting whether storage turned slow. */
  private writeSyncOut(data: Uint8Array): void {
    const started = performance.now();
    for (let done = 0; done < data.byteLength; ) done += writeSync(this.handle.fd, data, done, data.byteLength - done, this.position + done);
    this.position += data.byteLength;
    this.sync = performance.now() - started <= this.slowWriteMs;
  }

  async write(chunk: string | Uint8Array): Promise<void> {
    const data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (data.byteLength <= SMALL_WRITE_BYTES) {
      if (this.gatheredBytes + data.byteLength > GATHER_BYTES) await this.flush();
      this.gathered.set(data, this.gatheredBytes);
      this.gatheredBytes += data.byteLength;
      return;
    }
    await this.flush();
    await this.writeOut(data);
  }

  private async flush(): Promise<void> {
    if (this.gatheredBytes === 0) return;
    const pending = this.gathered.subarray(0, this.gatheredBytes);
    this.gatheredBytes = 0;
    await this.writeOut(pending);
  }

  private async writeOut(data: Uint8Array): Promise<void> {
    for (let done = 0; done < data.byteLength; ) {
      const rest = data.subarray(done);
      if (this.sync) {
        const started = performance.now();
        done += writeSync(this.handle.fd, rest, 0, rest.byteLength, this.position + done);
        this.sync = performance.now() - started <= this.slowWriteMs;
      } else {
        done += (await this.handle.write(rest, 0, rest.byteLength, this.position + done)).bytesWritten;
      }
    }
    this.position += data.byteLength;
  }

  async commit(): Promise<void> {
    await this.flush();
    await this.handle.close();
    await fs.rename(this.temp, this.file);
  }

  async discard(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await fs.rm(this.temp, { force: true });
  }
}
