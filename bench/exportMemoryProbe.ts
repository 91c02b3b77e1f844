/**
 * Child process of the export-memory benchmark (run with --expose-gc): exports the first argv[3]
 * samples of the dataset in argv[2] to WebDataset shards under argv[4] and prints, as JSON on stdout,
 * the peak memory while exporting above a baseline taken once the sample list (the caller's memory)
 * is built and a warm-up export of 5,000 samples has loaded and optimized the code.
 */
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { ExportSample, exportWebDataset } from '../src/core/export';
import { exportMemorySamples } from './exportMemoryBench';
import { fullGc, heapAndExternal } from './memoryProbe';

const WARM_UP = 5000;

export interface ExportMemoryProbeResult {
  readonly samples: number;
  /** Highest RSS of the whole process while exporting (the sample list included). */
  readonly peakRssBytes: number;
  /** Highest RSS and heapUsed + external above the baseline: the export's own memory, garbage included. */
  readonly rssGrowthBytes: number;
  readonly heapExternalGrowthBytes: number;
  /** Highest heapUsed + external above the baseline right after a full gc, at 10 evenly spaced samples: what the export holds. */
  readonly liveGrowthBytes: number;
}

const CHECKPOINTS = 10;

/** Peaks above a baseline: sampled every 5 ms (garbage included), and after a full gc at checkpoints. */
class Meter {
  private heapBefore = 0;
  private rssBefore = 0;
  private peakHeap = 0;
  private peakRss = 0;
  private peakLive = 0;
  private timer: NodeJS.Timeout | undefined;

  start(): void {
    fullGc();
    this.heapBefore = this.peakHeap = this.peakLive = heapAndExternal();
    this.rssBefore = this.peakRss = process.memoryUsage.rss();
    this.timer = setInterval(() => this.sample(), 5);
  }

  /** A checkpoint: what is still held after a full gc. Ignored before `start`. */
  checkpoint(): void {
    if (!this.timer) return;
    this.sample();
    fullGc();
    this.peakLive = Math.max(this.peakLive, heapAndExternal());
  }

  stop(samples: number): ExportMemoryProbeResult {
    clearInterval(this.timer);
    this.sample();
    return {
      samples,
      peakRssBytes: this.peakRss,
      rssGrowthBytes: this.peakRss - this.rssBefore,
      heapExternalGrowthBytes: this.peakHeap - this.heapBefore,
      liveGrowthBytes: this.peakLive - this.heapBefore,
    };
  }

  private sample(): void {
    this.peakHeap = Math.max(this.peakHeap, heapAndExternal());
    this.peakRss = Math.max(this.peakRss, process.memoryUsage.rss());
  }
}

async function main(): Promise<void> {
  const [dir, count, outDir] = [process.argv[2], Number(process.argv[3]), process.argv[4]];
  const meter = new Meter();
  // As many checkpoints in both runs: a maximum over more measurements would be higher by chance alone.
  const samples = withCheckpoints(exportMemorySamples(dir, count), () => meter.checkpoint());
  const warmUpDir = path.resolve(outDir, 'warm-up');
  await exportWebDataset(exportMemorySamples(dir, WARM_UP), { outDir: warmUpDir });
  rmSync(warmUpDir, { recursive: true });
  meter.start();
  const report = await exportWebDataset(samples, { outDir: path.resolve(outDir, 'shards') });
  const result = meter.stop(report.samples);
  if (report.samples !== count) throw new Error(`exported ${report.samples} of ${count} samples: ${JSON.stringify(report.skipped.slice(0, 3))}`);
  process.stdout.write(JSON.stringify(result));
}

/** The samples, with `measure` run as the export reads the caption of each of CHECKPOINTS evenly spaced ones. */
function withCheckpoints(samples: readonly ExportSample[], measure: () => void): ExportSample[] {
  const copy = [...samples];
  for (let j = 0; j < CHECKPOINTS; j++) {
    const i = Math.floor(((j + 0.5) * samples.length) / CHECKPOINTS);
    const { captionPath } = samples[i];
    copy[i] = {
      ...samples[i],
      get captionPath() {
        measure();
        return captionPath;
      },
    };
  }
  return copy;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
