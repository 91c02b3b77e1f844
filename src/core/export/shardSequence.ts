import * as path from 'node:path';
import { TAR_END_BYTES, TarShardWriter } from './tarShardWriter';

export function shardName(prefix: string, index: number): string {
  return `${prefix}-${String(index).padStart(6, '0')}.tar`;
}

/** Numbered tar shards, each closed before the sample that would pass its sample or byte limit. */
export class ShardSequence {
  /** Shards completed so far. */
  readonly files: string[] = [];
  private current: TarShardWriter | undefined;
  private currentSamples = 0;
  private currentBytes = 0;
  private closedBytes = 0;

  constructor(private readonly outDir: string, private readonly prefix: string, private readonly maxSamples: number, private readonly maxBytes: number) {}

  /** Bytes of the completed shards plus the members written to the open one. */
  get bytes(): number {
    return this.closedBytes + this.currentBytes;
  }

  /** The shard for a sample of `sampleBytes` tar bytes; a sample larger than the limit gets a shard of its own. */
  async shardFor(sampleBytes: number): Promise<TarShardWriter> {
    const full = this.currentSamples >= this.maxSamples || this.currentBytes + sampleBytes + TAR_END_BYTES > this.maxBytes;
    if (this.current && full) await this.close();
    if (!this.current) {
      this.current = await TarShardWriter.open(path.join(this.outDir, shardName(this.prefix, this.files.length)));
      this.currentSamples = this.currentBytes = 0;
    }
    return this.current;
  }

  /** Records a sample written to the shard `shardFor` gave. */
  added(sampleBytes: number): void {
    this.currentSamples++;
    this.currentBytes += sampleBytes;
  }

  async close(): Promise<void> {
    if (!this.current) return;
    await this.current.close();
    this.files.push(this.current.file);
    this.closedBytes += this.currentBytes + TAR_END_BYTES;
    this.current = undefined;
    this.currentBytes = 0;
  }

  /** Removes the shard being written; completed ones stay. */
  async discard(): Promise<void> {
    await this.current?.discard();
    this.current = undefined;
    this.currentBytes = 0;
  }
}
