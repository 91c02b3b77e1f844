import { linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import sharp from 'sharp';
import { runBatch } from '../src/core/captioning/batchJob';
import type { BatchItem } from '../src/core/captioning/batchTypes';
import { generateCaption } from '../src/providers/captionPipeline';
import { LocalProvider, type LocalCaptionRunner } from '../src/providers/local/localProvider';
import type { ModelEntry } from '../src/providers/types';
import { Requests } from '../src/worker/protocol';
import { writeTinyModels } from '../test/fixtures/localModels/tinyModels';
import { DatasetBoundary } from '../src/core/files/datasetBoundary';
import { BenchResult, note } from './measure';
import { benchWorkerClient } from './workerIpcBench';

const IMAGES = 1000;
const SIDE = 256;
const CONCURRENCY = 8; // the "local" preset's concurrency, = ViT-GPT2's batch size
/** Background colours of the sources: mostly red, green or blue (the tiny captioner names these), and a few mixed. */
const COLOURS = ['#e01010', '#10d020', '#1010f0', '#c03030', '#30b040', '#3040c0', '#d0a020', '#808080'];

/** A local image-to-text model entry as the catalog's "local" preset makes one. */
function tinyCaptionerModel(folder: string): ModelEntry {
  return {
    id: 'bench/tiny-captioner',
    label: 'Tiny captioner',
    provider: 'local',
    model: folder,
    imageTransport: 'image_url',
    key: 'none',
    maxImageSide: 768,
    capabilities: { stream: false },
    defaults: { max_tokens: 10 },
    local: { task: 'image-to-text', batchSize: 8 },
  };
}

/** 256x256 noisy images of each colour, as JPEG and PNG. */
async function writeSources(dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const [n, colour] of COLOURS.entries()) {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
    const pixels = Buffer.alloc(SIDE * SIDE * 3);
    let seed = 99 + n;
    for (let i = 0; i < pixels.length; i += 3) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const noise = ((seed >>> 24) % 32) - 16;
      pixels[i] = Math.max(0, Math.min(255, r + noise));
      pixels[i + 1] = Math.max(0, Math.min(255, g + noise));
      pixels[i + 2] = Math.max(0, Math.min(255, b + noise));
    }
    const image = () => sharp(pixels, { raw: { width: SIDE, height: SIDE, channels: 3 } });
    files.push(path.join(dir, `src_${n}.jpg`), path.join(dir, `src_${n}.png`));
    await image().jpeg({ quality: 90 }).toFile(files[files.length - 2]);
    await image().png().toFile(files[files.length - 1]);
  }
  return files;
}

/** `count` images in `dir` (hard links to the sources in turn, keeping their extension), each with its caption path. */
function linkItems(sources: readonly string[], dir: string, count: number): BatchItem[] {
  mkdirSync(dir, { recursive: true });
  return Array.from({ length: count }, (_, i) => {
    const source = sources[i % sources.length];
    const imagePath = path.join(dir, `img_${String(i).padStart(4, '0')}${path.extname(source)}`);
    linkSync(source, imagePath);
    return { imagePath, captionPath: imagePath.replace(/\.\w+$/, '.txt') };
  });
}

/**
 * The event-loop delay of a plain Node process (the engine without VS Code) while the real batch engine
 * captions 1,000 small images with a local model (LocalProvider → WorkerClient → dist/worker.js): p99 in ms.
 */
export const hostLagEngine = {
  async run(): Promise<BenchResult> {
    const root = mkdtempSync(path.join(os.tmpdir(), 'image-captioner-hostlag-'));
    const cacheDir = path.join(root, 'cache');
    mkdirSync(cacheDir);
    const logs: string[] = [];
    const client = benchWorkerClient(cacheDir, (line) => logs.push(line));
    try {
      const models = await writeTinyModels(path.join(root, 'models'));
      const model = tinyCaptionerModel(models.captioner);
      const sent = { requests: 0, images: 0 };
      const run: LocalCaptionRunner = (params, options) => {
        sent.requests += 1;
        sent.images += params.images.length;
        return client.request(Requests.caption, params, options);
      };
      const provider = new LocalProvider(run);
      const generate = async (item: BatchItem, signal: AbortSignal): Promise<string> =>
        (await generateCaption(item.imagePath, { model, provider, prompt: 'Write a single concise caption.', params: {}, timeoutMs: 60_000, uploadAssets: false, signal })).text;
      const sources = await writeSources(path.join(root, 'sources'));

      // warm-up: the worker starts and loads the model, sharp and the JIT warm up
      const warm = await runBatch({ items: linkItems(sources, path.join(root, 'warm'), 2 * CONCURRENCY), boundary: DatasetBoundary.atSync(root), generate, concurrency: CONCURRENCY });
      if (warm.written !== 2 * CONCURRENCY) throw new Error(`warm-up wrote ${warm.written} of ${2 * CONCURRENCY}: ${failures(warm.outcomes)}`);

      const folder = path.join(root, 'images');
      const items = linkItems(sources, folder, IMAGES);
      const lag = monitorEventLoopDelay({ resolution: 10 });
      const cpuBefore = process.cpuUsage();
      const sentBefore = { ...sent };
      lag.enable();
      const summary = await runBatch({ items, boundary: DatasetBoundary.atSync(root), generate, concurrency: CONCURRENCY, journal: { folder: path.join(root, 'storage') } });
      lag.disable();
      const cpu = process.cpuUsage(cpuBefore);

      const captions = readdirSync(folder).filter((name) => name.endsWith('.txt'));
      if (summary.written !== IMAGES || captions.length !== IMAGES) {
        throw new Error(`${summary.written} written, ${captions.length} caption files of ${IMAGES} images (${summary.failed} failed): ${failures(summary.outcomes)}`);
      }
      const red = readFileSync(items[0].captionPath, 'utf8'); // src_0.jpg is red
      if (!/red ball/.test(red)) throw new Error(`the first (red) image was captioned ${JSON.stringify(red)}`);
      const distinct = new Set(captions.map((name) => readFileSync(path.join(folder, name), 'utf8')));

      const ms = (ns: number): number => ns / 1e6;
      // the histogram counts the timer's own resolution: the delay beyond it is what the loop added
      const p99 = ms(lag.percentile(99)) - 10;
      note(`engine only, local model: ${IMAGES} images of ${SIDE}x${SIDE} (JPEG and PNG, ${COLOURS.length} colours) in ${(summary.elapsedMs / 1000).toFixed(1)} s = ` +
        `${((IMAGES * 1000) / summary.elapsedMs).toFixed(1)} images/s, concurrency ${CONCURRENCY}, ` +
        `${sent.requests - sentBefore.requests} worker requests of ${((sent.images - sentBefore.images) / (sent.requests - sentBefore.requests)).toFixed(1)} images on average; ` +
        `host CPU ${((cpu.user + cpu.system) / 1000 / summary.elapsedMs).toFixed(2)} of ${os.cpus().length} cores; ${distinct.size} distinct captions`);
      note(`event-loop delay beyond the 10 ms timer: p50 ${(ms(lag.percentile(50)) - 10).toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, ` +
        `max ${(ms(lag.max) - 10).toFixed(2)} ms (${lag.count} samples)`);
      return { name: 'host-lag-engine', figure: p99, unit: ' ms p99 event-loop lag (beyond the 10 ms timer)', target: 50 };
    } finally {
      await client.dispose();
      rmSync(root, { recursive: true, force: true });
    }
  },
};

function failures(outcomes: readonly { kind: string; reason?: string }[]): string {
  const failed = outcomes.filter((o) => o.kind === 'failed');
  return failed.length ? `${failed.length} failed, e.g. ${failed[0].reason}` : 'none failed';
}
