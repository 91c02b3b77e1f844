import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import sharp from 'sharp';
import { maskArea } from '../src/core/regions/binaryMask';
import { decodeRle } from '../src/core/regions/cocoRle';
import { SegmentationService } from '../src/services/segmentationService';
import { Requests, type ModelRef } from '../src/worker/protocol';
import { SAM_SIZED, writeSam } from '../test/fixtures/localModels/samModel';
import { Benchmark, formatMs, median, note, timeMs } from './measure';
import { benchWorkerClient } from './workerIpcBench';

const CLICKS = 30;
const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));
const WIDTH = 1600;
const HEIGHT = 1200;

/** The click-th prompt: one to three points spread over the image, the same every run. */
function prompt(click: number): { x: number; y: number; positive: boolean }[] {
  const count = 1 + (click % 3);
  return Array.from({ length: count }, (_, i) => ({ x: 0.15 + ((click * 37 + i * 23) % 70) / 100, y: 0.15 + ((click * 53 + i * 31) % 70) / 100, positive: i !== 2 }));
}

/**
 * A click on an image whose embedding is cached: host request → worker (prompt encoder + mask
 * decoder, mask upsampled to the image, COCO RLE) → mask decoded on the host, ÷ one run of the
 * same decoder with onnxruntime-node in this process. The model has SAM's tensor sizes (1024
 * frame, 256x64x64 embeddings, 3x256x256 mask logits), the image 1600x1200 (mask 1024x768).
 */
export const segmentClickBench: Benchmark = {
  name: 'segment-click',
  async run() {
    const root = mkdtempSync(path.join(os.tmpdir(), 'image-captioner-sam-'));
    const cacheDir = path.join(root, 'cache');
    mkdirSync(cacheDir);
    const client = benchWorkerClient(cacheDir);
    try {
      const folder = path.join(root, 'sam');
      await writeSam(folder, SAM_SIZED);
      const image = path.join(root, 'photo.png');
      const gradient = Buffer.alloc(WIDTH * HEIGHT * 3);
      for (let i = 0; i < WIDTH * HEIGHT; i++) gradient.fill((i % WIDTH) % 256, i * 3, i * 3 + 3);
      await sharp(gradient, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } }).png().toFile(image);
      const model: ModelRef = { id: folder, task: 'sam' };
      const service = new SegmentationService({ model: () => model, segment: (params, signal) => client.request(Requests.segment, params, { signal }) });

      const first = await timeMs(() => service.segment(image, { points: prompt(0) }));
      note(`first click (model load + image embedding): ${formatMs(first)}`);
      const decoder = await InferenceSession.create(path.join(folder, 'onnx', 'prompt_encoder_mask_decoder.onnx'), {
        extra: { session: { intra_op: { allow_spinning: '0' } } },
      });
      const grid = SAM_SIZED.frame / 16;
      const embedding = () => new Tensor('float32', new Float32Array(SAM_SIZED.channels * grid * grid).fill(0.1), [1, SAM_SIZED.channels, grid, grid]);
      const feeds = (click: number) => {
        const points = prompt(click);
        return {
          image_embeddings: embedding(),
          image_positional_embeddings: embedding(),
          input_points: new Tensor('float32', Float32Array.from(points.flatMap((p) => [p.x * 1024, p.y * 768])), [1, 1, points.length, 2]),
          input_labels: new Tensor('int64', BigInt64Array.from(points.map((p) => (p.positive ? 1n : 0n))), [1, 1, points.length]),
        };
      };
      // Interleaved, so that both see the same load on a shared machine, with a pause between them: onnxruntime's
      // threads spin for a while after a run and would slow the other process's run. The first rounds warm up.
      const viaWorker: number[] = [];
      const inProcess: number[] = [];
      const inWorker: number[] = [];
      let inside = 0;
      for (let click = 0; click < CLICKS + 3; click++) {
        const worker = await timeMs(async () => {
          const result = await service.segment(image, { points: prompt(click) });
          if (click >= 3) inWorker.push(result.millis);
          inside += maskArea(decodeRle(result.rle));
        });
        await pause();
        const input = feeds(click);
        const local = await timeMs(() => decoder.run(input));
        await pause();
        if (click < 3) continue;
        viaWorker.push(worker);
        inProcess.push(local);
      }
      if (!inside) throw new Error('every mask was empty');
      await decoder.release();
      const [w, d] = [median(viaWorker), median(inProcess)];
      note(`click → mask on the host: median ${formatMs(w)} (min ${formatMs(Math.min(...viaWorker))}); one decoder run in-process: median ${formatMs(d)}; the path adds ${formatMs(w - d)} ` +
        `(in the worker: median ${formatMs(median(inWorker))})`);
      return { figure: w / d, unit: 'x decoder', target: 1.5 };
    } finally {
      await client.dispose();
      rmSync(root, { recursive: true, force: true });
    }
  },
};
