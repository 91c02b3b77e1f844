import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { env, pipeline, type FeatureExtractionPipeline, type Tensor } from '@huggingface/transformers';
import { WorkerClient } from '../src/providers/local/workerClient';
import { decodeEmbeddings, Requests, type ModelRef } from '../src/worker/protocol';
import { writeTinyModels } from '../test/fixtures/localModels/tinyModels';
import { REQUESTS_IN_FLIGHT, TEXT_BATCH_SIZE } from '../src/services/embeddingService';
import { Benchmark, median, note, timeMs } from './measure';

export const WORKER_PATH = path.resolve(__dirname, '../../dist/worker.js');

const TEXTS = 2000;
const BATCH_SIZES = [1, 8, 32] as const;
const ROUNDS = 3;
const WORDS = [
  'a', 'an', 'the', 'of', 'in', 'on', 'with', 'and', 'photo', 'picture', 'image', 'red', 'green', 'blue', 'ball', 'car', 'cat', 'dog',
  'sky', 'grass', 'house', 'tree', 'small', 'big', 'white', 'black', 'yellow', 'road', 'person', 'sitting', 'standing', 'near', 'window',
];

/** `count` caption-like texts of 2 to 30 words (a few with punctuation), the same every run. */
export function captionTexts(count: number): string[] {
  let seed = 1234;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  return Array.from({ length: count }, () => {
    const length = 2 + (next(4) === 0 ? next(29) : next(10));
    const words = Array.from({ length }, () => WORDS[next(WORDS.length)]);
    return words.join(' ') + (next(3) === 0 ? '.' : '');
  });
}

/** A worker client on the built dist/worker.js, CPU only, offline, never idle-stopped. */
export function benchWorkerClient(cacheDir: string, log: (line: string) => void = () => undefined): WorkerClient {
  return new WorkerClient({
    workerPath: WORKER_PATH,
    execPath: process.execPath,
    idleExitMs: 0,
    log,
    settings: () => ({ cacheDir, allowRemoteModels: false, device: 'cpu' }),
  });
}

type Embed = (texts: string[]) => Promise<Float32Array[]>;

/** Items/s of `embed` over all texts in sequential batches of `batchSize` (one request in flight, as the callers send). */
async function rate(embed: Embed, texts: readonly string[], batchSize: number): Promise<number> {
  let count = 0;
  const ms = await timeMs(async () => {
    for (let start = 0; start < texts.length; start += batchSize) count += (await embed(texts.slice(start, start + batchSize))).length;
  });
  if (count !== texts.length) throw new Error(`embedded ${count} of ${texts.length}`);
  return (count * 1000) / ms;
}

/** Items/s with `inFlight` batches sent at once (the worker overlaps reading the next request with running the current one). */
async function rateInFlight(embed: Embed, texts: readonly string[], batchSize: number, inFlight: number): Promise<number> {
  let next = 0;
  const ms = await timeMs(() =>
    Promise.all(Array.from({ length: inFlight }, async () => {
      for (let start = next; start < texts.length; start = next) {
        next += batchSize;
        await embed(texts.slice(start, start + batchSize));
      }
    })),
  );
  return (texts.length * 1000) / ms;
}

/** The tiny text model through the worker (JSON-RPC on stdio) ÷ the same model called in this process: items/s, geometric mean over batches 1, 8, 32. */
export const workerIpcBench: Benchmark = {
  name: 'worker-ipc',
  async run() {
    const root = mkdtempSync(path.join(os.tmpdir(), 'image-captioner-ipc-'));
    const cacheDir = path.join(root, 'cache');
    mkdirSync(cacheDir);
    const client = benchWorkerClient(cacheDir);
    try {
      const models = await writeTinyModels(path.join(root, 'models'));
      const model: ModelRef = { id: models.textEmbedder, task: 'feature-extraction' };
      const texts = captionTexts(TEXTS);

      env.allowRemoteModels = false;
      env.allowLocalModels = true;
      env.cacheDir = cacheDir;
      const extractor = (await pipeline('feature-extraction', models.textEmbedder, { dtype: 'fp32', device: 'cpu' })) as FeatureExtractionPipeline;
      const inProcess: Embed = async (batch) => rows(await extractor(batch, { pooling: 'mean', normalize: true }));
      const viaWorker: Embed = async (batch) => {
        const reply = await client.request(Requests.embedText, { model, texts: batch });
        return decodeEmbeddings(reply).map((item) => {
          if (!item.ok) throw new Error(item.error);
          return item.value;
        });
      };

      // same vectors both ways
      const [a, b] = [await inProcess(texts.slice(0, 32)), await viaWorker(texts.slice(0, 32))];
      const worst = Math.max(...a.map((v, i) => Math.max(...v.map((x, j) => Math.abs(x - b[i][j])))));
      if (!(worst < 1e-5)) throw new Error(`the worker's vectors differ from the in-process ones by up to ${worst}`);

      // warm-up: JIT, onnxruntime's first runs, the pipe
      for (const size of BATCH_SIZES) {
        await rate(inProcess, texts.slice(0, 256), size);
        await rate(viaWorker, texts.slice(0, 256), size);
      }

      const ratios: number[] = [];
      for (const size of BATCH_SIZES) {
        const local: number[] = [];
        const worker: number[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          local.push(await rate(inProcess, texts, size));
          worker.push(await rate(viaWorker, texts, size));
        }
        const [l, w] = [median(local), median(worker)];
        ratios.push(w / l);
        const perRequestMs = (1000 * size) / w - (1000 * size) / l;
        note(`batch ${String(size).padStart(2)}: in-process ${l.toFixed(0).padStart(6)} items/s, worker ${w.toFixed(0).padStart(6)} items/s = ${(w / l).toFixed(2)}x ` +
          `(worker adds ${perRequestMs.toFixed(3)} ms per request)`);
      }

      // The figure: texts embedded the way the product sends them (EmbeddingService: batches of
      // TEXT_BATCH_SIZE, REQUESTS_IN_FLIGHT requests at once) ÷ the best the same model does in this process at
      // that batch size (one call at a time, or as many at once as the product sends).
      const product: number[] = [];
      const localBest: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        localBest.push(Math.max(await rate(inProcess, texts, TEXT_BATCH_SIZE), await rateInFlight(inProcess, texts, TEXT_BATCH_SIZE, REQUESTS_IN_FLIGHT)));
        product.push(await rateInFlight(viaWorker, texts, TEXT_BATCH_SIZE, REQUESTS_IN_FLIGHT));
      }
      const [w, l] = [median(product), median(localBest)];
      note(`product path (batches of ${TEXT_BATCH_SIZE}, ${REQUESTS_IN_FLIGHT} in flight): worker ${w.toFixed(0)} items/s, in-process best ${l.toFixed(0)} items/s`);
      const geomean = Math.exp(ratios.reduce((sum, r) => sum + Math.log(r), 0) / ratios.length);
      note(`one request at a time, geometric mean over batches 1/8/32: ${geomean.toFixed(2)}x (a round trip costs ~0.15 ms)`);
      await diagnose(client, texts, model);
      return { figure: w / l, unit: `x in-process (batches of ${TEXT_BATCH_SIZE}, ${REQUESTS_IN_FLIGHT} in flight)`, target: 0.8, op: '>=' };
    } finally {
      await client.dispose();
      rmSync(root, { recursive: true, force: true });
    }
  },
};

/** Where a request's time goes apart from the model: a near-empty round trip, and the wire encoding of a batch-32 reply. */
async function diagnose(client: WorkerClient, texts: readonly string[], model: ModelRef): Promise<void> {
  const trips = 2000;
  for (let i = 0; i < 200; i++) await client.request(Requests.listCachedModels, {});
  const tripMs = (await timeMs(async () => {
    for (let i = 0; i < trips; i++) await client.request(Requests.listCachedModels, {});
  })) / trips;
  note(`near-empty round trip (listCachedModels on an empty cache): ${(tripMs * 1000).toFixed(0)} µs`);

  const reply = await client.request(Requests.embedText, { model, texts: texts.slice(0, 32) });
  const request = { jsonrpc: '2.0', id: 1, method: 'worker/embedText', params: { model, texts: texts.slice(0, 32), ticket: 1 } };
  const n = 20_000;
  const encodeUs = ((await timeMs(() => {
    for (let i = 0; i < n; i++) JSON.parse(JSON.stringify(request));
    for (let i = 0; i < n; i++) JSON.parse(JSON.stringify({ jsonrpc: '2.0', id: 1, result: reply }));
  })) * 1000) / n;
  const decodeUs = ((await timeMs(() => {
    for (let i = 0; i < n; i++) decodeEmbeddings(reply);
  })) * 1000) / n;
  note(`batch 32 on the wire: request ${JSON.stringify(request).length} B, reply ${JSON.stringify(reply).length} B; ` +
    `JSON stringify+parse of both ${encodeUs.toFixed(1)} µs, base64 decode of 32 vectors ${decodeUs.toFixed(1)} µs`);
}

function rows(tensor: Tensor): Float32Array[] {
  const [count, size] = tensor.dims;
  const data = tensor.data as Float32Array;
  return Array.from({ length: count }, (_, i) => data.slice(i * size, (i + 1) * size));
}
