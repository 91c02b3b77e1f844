import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import type { ExportSample } from '../src/core/export';
import type { ExportMemoryProbeResult } from './exportMemoryProbe';
import { Benchmark, median, note } from './measure';
import { DatasetBoundary } from '../src/core/files/datasetBoundary';

const LARGE = 100_000;
const SMALL = 10_000;
const PER_FOLDER = 1000;
const RUNS = 3;
const MB = 1024 * 1024;

/**
 * Peak memory exporting 100,000 samples ÷ exporting 10,000 (tiny real PNGs), each export in a fresh
 * Node process: an export that streams holds the same memory whatever the dataset's size. The figure
 * is peak heap+external (garbage included, sampled every 5 ms) above a baseline taken after the
 * sample list is built (the caller's memory, 10x longer in the large run) and a warm-up export.
 * Beside it: what is still held after a full gc at 10 checkpoints, RSS, and whole-process peak RSS.
 */
export const exportMemoryBench: Benchmark = {
  name: 'export-memory',
  async run() {
    const root = mkdtempSync(path.join(os.tmpdir(), 'image-captioner-export-memory-'));
    try {
      const dataset = path.join(root, 'dataset');
      await writeTinyDataset(dataset, LARGE);
      const large: ExportMemoryProbeResult[] = [];
      const small: ExportMemoryProbeResult[] = [];
      for (let i = 0; i < RUNS; i++) {
        small.push(await probe(dataset, SMALL, path.join(root, 'out')));
        large.push(await probe(dataset, LARGE, path.join(root, 'out')));
      }
      const mb = (runs: ExportMemoryProbeResult[], pick: (p: ExportMemoryProbeResult) => number): string => (median(runs.map(pick)) / MB).toFixed(1);
      for (const [label, runs] of [['10k', small], ['100k', large]] as const) {
        note(`${label}: above the baseline: heap+external ${mb(runs, (p) => p.heapExternalGrowthBytes)} MB, held after gc ${mb(runs, (p) => p.liveGrowthBytes)} MB, ` +
          `RSS ${mb(runs, (p) => p.rssGrowthBytes)} MB; whole-process peak RSS ${mb(runs, (p) => p.peakRssBytes)} MB (median of ${RUNS})`);
      }
      const growth = (runs: ExportMemoryProbeResult[]): number => median(runs.map((p) => p.heapExternalGrowthBytes));
      return { figure: growth(large) / growth(small), unit: 'x 10k', target: 1.2, op: '<=' };
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
};

/** The first `count` samples of the dataset writeTinyDataset made, named by rule (no directory listing). */
export function exportMemorySamples(dir: string, count: number): ExportSample[] {
  const samples: ExportSample[] = [];
  const boundary = DatasetBoundary.atSync(dir);
  for (let i = 0; i < count; i++) {
    const relPath = `part_${String(Math.floor(i / PER_FOLDER)).padStart(3, '0')}/img_${String(i).padStart(6, '0')}.png`;
    const imagePath = path.join(dir, relPath);
    samples.push({ imagePath, relPath, captionPath: imagePath.replace(/\.png$/, '.txt'), boundary });
  }
  return samples;
}

async function writeTinyDataset(dir: string, count: number): Promise<void> {
  const png = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#808080' } }).png().toBuffer();
  mkdirSync(dir, { recursive: true }); // the samples' boundary is the folder's real path: it must exist
  for (const [i, sample] of exportMemorySamples(dir, count).entries()) {
    if (i % PER_FOLDER === 0) mkdirSync(path.dirname(sample.imagePath), { recursive: true });
    writeFileSync(sample.imagePath, png);
    writeFileSync(sample.captionPath, `caption of image ${i}: a small grey square.\n`);
  }
}

async function probe(dir: string, count: number, outDir: string): Promise<ExportMemoryProbeResult> {
  rmSync(outDir, { recursive: true, force: true });
  const script = path.join(__dirname, 'exportMemoryProbe.js');
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', script, dir, String(count), outDir], { maxBuffer: MB });
  rmSync(outDir, { recursive: true, force: true });
  return JSON.parse(stdout) as ExportMemoryProbeResult;
}
