/**
 * `tagger-throughput`: images/s tagging 200 JPEGs of 1024×768 with a tagger-sized graph (the v3
 * input 448×448×3, three convolutions, 10,000 outputs) through the product's path (files → sharp
 * in the worker → one batch per request over JSON-RPC → tags), batched as the host sends them
 * (requests of 8 images, 2 in flight), ÷ the same graph called in this process by onnxruntime-node
 * on tensors prepared beforehand. Target ≥ 0.7: reading, preprocessing and IPC cost under 30%.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { DEFAULT_TAG_OPTIONS } from '../src/core/tagging/tagSelection';
import { Requests, type ModelRef } from '../src/worker/protocol';
import { taggerPixels, writeTaggerPixels, type TaggerInputSpec } from '../src/worker/taggerInput';
import { writeTaggerSizedModel } from '../test/fixtures/localModels/taggerModel';
import { benchWorkerClient } from './workerIpcBench';
import { Benchmark, note, timeMs } from './measure';

const IMAGES = 200;
const WIDTH = 1024;
const HEIGHT = 768;
/** As the host's tagging service sends them: images per request, requests at once. */
const BATCH = 8;
const IN_FLIGHT = 2;
const ROUNDS = 3;
const SPEC: TaggerInputSpec = { name: 'input', layout: 'NHWC', size: 448, channels: 'BGR' };

/** A photo-like JPEG: smooth gradients plus noise, different per image (so decoding does real work). */
async function writeJpeg(file: string, index: number): Promise<void> {
  const data = Buffer.alloc(WIDTH * HEIGHT * 3);
  let seed = index * 7919 + 1;
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const noise = (seed >>> 24) % 24;
      const at = (y * WIDTH + x) * 3;
      data[at] = (x / 4 + index * 13 + noise) & 255;
      data[at + 1] = (y / 3 + noise) & 255;
      data[at + 2] = ((x + y) / 7 + index * 5 + noise) & 255;
    }
  }
  await sharp(data, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } }).jpeg({ quality: 88 }).toFile(file);
}

/** Runs `work` on consecutive slices of `count` items, `inFlight` slices at once; images/s. */
async function rate(count: number, inFlight: number, work: (start: number, end: number) => Promise<void>): Promise<number> {
  let next = 0;
  const ms = await timeMs(() =>
    Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < count) {
          const start = next;
          next = Math.min(count, next + BATCH);
          await work(start, next);
        }
      }),
    ),
  );
  return (count * 1000) / ms;
}

export const taggerThroughputBench: Benchmark = {
  name: 'tagger-throughput',
  async run() {
    const root = mkdtempSync(path.join(os.tmpdir(), 'image-captioner-tagger-'));
    const cacheDir = path.join(root, 'cache');
    mkdirSync(cacheDir);
    const client = benchWorkerClient(cacheDir);
    let session: ort.InferenceSession | undefined;
    try {
      const folder = await writeTaggerSizedModel(path.join(root, 'tagger'));
      const files: string[] = [];
      for (let i = 0; i < IMAGES; i++) {
        files.push(path.join(root, `photo-${String(i).padStart(3, '0')}.jpg`));
        await writeJpeg(files[i], i);
      }
      const model: ModelRef = { id: folder, task: 'wd-tagger' };
      session = await ort.InferenceSession.create(path.join(folder, 'model.onnx'), { executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
      const run = session;

      // The baseline's input: one batch of real preprocessed images, prepared before timing.
      const batch = new Float32Array(BATCH * 448 * 448 * 3);
      for (let i = 0; i < BATCH; i++) writeTaggerPixels(await taggerPixels({ path: files[i] }, 448), SPEC, batch, i);
      const tensor = new ort.Tensor('float32', batch, [BATCH, 448, 448, 3]);
      const inProcess = (start: number, end: number) =>
        run.run({ input: end - start === BATCH ? tensor : new ort.Tensor('float32', batch.subarray(0, (end - start) * 448 * 448 * 3), [end - start, 448, 448, 3]) }).then(() => undefined);
      let tagged = 0;
      let tags = 0; // over all rounds
      const viaWorker = async (start: number, end: number) => {
        const reply = await client.request(Requests.tag, { model, images: files.slice(start, end).map((file) => ({ path: file })), options: DEFAULT_TAG_OPTIONS });
        for (const item of reply.items) {
          if (!item.ok) throw new Error(item.error);
          tags += item.value.length;
        }
        tagged += reply.items.length;
      };

      // warm-up: onnxruntime's first runs, the worker's start and model load, sharp's first decodes
      await rate(BATCH * 2, 1, inProcess);
      await rate(BATCH * 2, 1, viaWorker);
      tags = 0;

      // The machine is shared: both paths run in alternating slices of 40 images, so a burst of
      // someone else's load hits both alike; each path's rate is its images over its summed time.
      const slice = 40;
      const time = { one: 0, two: 0, worker: 0 };
      for (let round = 0; round < ROUNDS; round++) {
        for (let start = 0; start < IMAGES; start += slice) {
          const count = Math.min(slice, IMAGES - start);
          time.one += (count * 1000) / (await rate(count, 1, inProcess));
          time.two += (count * 1000) / (await rate(count, IN_FLIGHT, inProcess));
          tagged = 0;
          time.worker += (count * 1000) / (await rate(count, IN_FLIGHT, (a, b) => viaWorker(start + a, start + b)));
          if (tagged !== count) throw new Error(`tagged ${tagged} of ${count}`);
        }
      }
      const perSecond = (ms: number) => (ROUNDS * IMAGES * 1000) / ms;
      const [l, w] = [Math.max(perSecond(time.one), perSecond(time.two)), perSecond(time.worker)];
      note(`in-process (tensors ready, batches of ${BATCH}): ${perSecond(time.one).toFixed(1)} images/s one run at a time, ${perSecond(time.two).toFixed(1)} two at once; ` +
        `worker (files → tags, ${BATCH} per request, ${IN_FLIGHT} in flight): ${w.toFixed(1)} images/s; ${(tags / (ROUNDS * IMAGES)).toFixed(0)} tags per image`);
      await diagnose(files, run, tensor);
      return { figure: w / l, unit: `x in-process (${IMAGES} JPEGs ${WIDTH}x${HEIGHT}, batches of ${BATCH}, ${IN_FLIGHT} in flight)`, target: 0.7, op: '>=' };
    } finally {
      await client.dispose();
      await session?.release();
      rmSync(root, { recursive: true, force: true });
    }
  },
};

/**
 * Where the time goes: preprocessing alone (one at a time and 8 at once), and the model alone, per
 * image; then the CPU time of each (this process's, so other programs' load does not count), which
 * bounds the figure: with every core busy, the product spends model + preprocessing CPU per image
 * where the baseline spends the model's alone.
 */
async function diagnose(files: readonly string[], session: ort.InferenceSession, tensor: ort.Tensor): Promise<void> {
  const sample = files.slice(0, 32);
  const cpuMs = async (work: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> => {
    const before = process.cpuUsage();
    const wall = await timeMs(work);
    const used = process.cpuUsage(before);
    return { wall, cpu: (used.user + used.system) / 1000 };
  };
  const sequential = await cpuMs(async () => {
    for (const file of sample) await taggerPixels({ path: file }, 448);
  });
  const parallel = await cpuMs(async () => {
    for (let i = 0; i < sample.length; i += BATCH) await Promise.all(sample.slice(i, i + BATCH).map((file) => taggerPixels({ path: file }, 448)));
  });
  const runs = 8;
  const model = await cpuMs(async () => {
    for (let i = 0; i < runs; i++) await session.run({ input: tensor });
  });
  const [prepCpu, modelCpu] = [parallel.cpu / sample.length, model.cpu / (runs * BATCH)];
  note(`per image: preprocessing ${(sequential.wall / sample.length).toFixed(1)} ms one at a time, ${(parallel.wall / sample.length).toFixed(1)} ms ${BATCH} at once (sharp on libuv threads); ` +
    `model ${(model.wall / (runs * BATCH)).toFixed(1)} ms in a batch of ${BATCH}; ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}`);
  note(`CPU per image: preprocessing ${prepCpu.toFixed(1)} ms (decode, pad, resize), model ${modelCpu.toFixed(1)} ms: ` +
    `with every core busy the figure cannot pass ${(modelCpu / (modelCpu + prepCpu)).toFixed(2)} (model / (model + preprocessing))`);
}
