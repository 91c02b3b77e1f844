import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import sharp from 'sharp';
import { prepareImage } from '../src/core/images/prepareImage';
import { toBase64 } from '../src/core/images/preparedImage';
import { findPython } from './findPython';
import { Benchmark, median, note, timeMs } from './measure';

const IMAGES = 8;
const WIDTH = 4000;
const HEIGHT = 3000;
const MAX_SIDE = 1024;
const QUALITY = 90;
const ROUNDS = 5;
const ORIENTATIONS = [1, 6, 3, 8];

// The same result in PIL by its own fast path: draft() asks libjpeg for a DCT-scaled decode (the largest
// 1/1, 1/2, 1/4 or 1/8 that stays at least 1024 on both sides), as libvips' shrink-on-load does; then
// orientation, thumbnail() (Lanczos, as sharp's default lanczos3), JPEG quality 90 and base64.
// It times one round per line read on stdin, so that its rounds interleave with ours under the same load.
const PIL_WORKER = `
import base64, io, sys, time
from PIL import Image, ImageOps
files = sys.argv[1:]
def prepare(p):
    with Image.open(p) as im:
        im.draft('RGB', (${MAX_SIDE}, ${MAX_SIDE}))
        im = ImageOps.exif_transpose(im)
        im.thumbnail((${MAX_SIDE}, ${MAX_SIDE}), Image.LANCZOS)
        out = io.BytesIO()
        im.save(out, 'JPEG', quality=${QUALITY})
        return base64.b64encode(out.getvalue())
prepare(files[0])
print('ready', flush=True)
for _ in sys.stdin:
    t, c = time.perf_counter(), time.process_time()
    for p in files: prepare(p)
    print((time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000, flush=True)
`;

/** Client overhead per 12-megapixel JPEG (read, orient, resize to 1024, encode, base64): our images/s ÷ PIL's. */
export const imagePrepBench: Benchmark = {
  name: 'image-prep',
  async run() {
    const python = findPython(['PIL'], 'python3-pil');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'image-captioner-image-prep-'));
    let pil: PilWorker | undefined;
    try {
      const files = await writePhotos(dir);
      pil = await PilWorker.start(python, files);
      await prepareAll(files); // warms sharp and the file system cache
      await bareSharpAll(files);
      const ours: Round[] = [];
      const bare: Round[] = [];
      const theirs: Round[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        ours.push(await timeRound(() => prepareAll(files)));
        theirs.push(await pil.round());
        bare.push(await timeRound(() => bareSharpAll(files)));
      }
      const rate = (rounds: Round[]): number => (IMAGES * 1000) / median(rounds.map((r) => r.wallMs));
      const cpu = (rounds: Round[]): string => `${(median(rounds.map((r) => r.cpuMs)) / IMAGES).toFixed(1)} ms`;
      const [oursRate, pilRate, bareRate] = [rate(ours), rate(theirs), rate(bare)];
      const mb = files.reduce((sum, f) => sum + statSync(f).size, 0) / files.length / 1e6;
      note(`${IMAGES} JPEGs of ${WIDTH}x${HEIGHT} (${mb.toFixed(1)} MB each), one at a time, median of ${ROUNDS}: ` +
        `prepareImage ${oursRate.toFixed(1)} images/s, PIL (draft) ${pilRate.toFixed(1)} images/s`);
      note(`bare sharp (rotate, resize, JPEG 90, base64; ${sharp.concurrency()} libvips thread(s)): ${bareRate.toFixed(1)} images/s = ` +
        `${(bareRate / pilRate).toFixed(2)}x PIL: the ceiling of any sharp pipeline; prepareImage is ${(oursRate / bareRate).toFixed(2)}x of it`);
      note(`CPU time per image (all threads; steadier than wall time on a shared machine): prepareImage ${cpu(ours)}, bare sharp ${cpu(bare)}, PIL ${cpu(theirs)}`);
      return { figure: oursRate / pilRate, unit: 'x PIL', target: 2, op: '>=' };
    } finally {
      pil?.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

/** Wall-clock and CPU time (all threads of the process) of one round. */
interface Round {
  readonly wallMs: number;
  readonly cpuMs: number;
}

async function timeRound(work: () => Promise<void>): Promise<Round> {
  const before = process.cpuUsage();
  const wallMs = await timeMs(work);
  const { user, system } = process.cpuUsage(before);
  return { wallMs, cpuMs: (user + system) / 1000 };
}

async function prepareAll(files: readonly string[]): Promise<void> {
  for (const file of files) {
    const image = await prepareImage(file, { maxSide: MAX_SIDE, format: 'jpeg', quality: QUALITY });
    if (toBase64(image).length === 0 || Math.max(image.width, image.height) !== MAX_SIDE) throw new Error(`bad result for ${file}`);
  }
}

/** The shortest sharp pipeline to the same result: what prepareImage's own steps cost on top of it. */
async function bareSharpAll(files: readonly string[]): Promise<void> {
  for (const file of files) {
    const jpeg = await sharp(file).rotate().resize(MAX_SIDE, MAX_SIDE, { fit: 'inside' }).jpeg({ quality: QUALITY }).toBuffer();
    if (jpeg.toString('base64').length === 0) throw new Error(`bad result for ${file}`);
  }
}

/** Camera-like JPEGs (about 4 MB per 12 MP, as phones write them): gradients with sensor noise, EXIF orientations 1/6/3/8. */
async function writePhotos(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (let n = 0; n < IMAGES; n++) {
    const pixels = Buffer.alloc(WIDTH * HEIGHT * 3);
    let seed = 12345 + n;
    for (let y = 0, i = 0; y < HEIGHT; y++) {
      for (let x = 0; x < WIDTH; x++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        const noise = (seed >>> 24) % 16;
        pixels[i++] = ((x * 255) / WIDTH + noise) & 255;
        pixels[i++] = ((y * 255) / HEIGHT + noise) & 255;
        pixels[i++] = (((x + y) * 128) / HEIGHT + noise) & 255;
      }
    }
    const file = path.join(dir, `photo_${n}.jpg`);
    await sharp(pixels, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } })
      .jpeg({ quality: 92 })
      .withMetadata({ orientation: ORIENTATIONS[n % ORIENTATIONS.length] })
      .toFile(file);
    files.push(file);
  }
  return files;
}

/** A python3 child running PIL_WORKER: each `round()` prepares every file once and answers its wall and CPU time. */
class PilWorker {
  private readonly lines: string[] = [];
  private waiting: ((line: string) => void) | undefined;
  private stderr = '';

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (this.waiting) this.waiting(line);
      else this.lines.push(line);
    });
    child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    child.stdin.on('error', () => undefined); // a dead worker is reported by its exit, not by EPIPE
  }

  static async start(python: string, files: readonly string[]): Promise<PilWorker> {
    const worker = new PilWorker(spawn(python, ['-c', PIL_WORKER, ...files]));
    const first = await worker.nextLine();
    if (first !== 'ready') throw new Error(`PIL worker did not start: ${first}`);
    return worker;
  }

  async round(): Promise<Round> {
    this.child.stdin.write('go\n');
    const [wallMs, cpuMs] = (await this.nextLine()).split(' ').map(Number);
    if (!Number.isFinite(wallMs) || !Number.isFinite(cpuMs)) throw new Error(`PIL worker answered nonsense: ${this.stderr}`);
    return { wallMs, cpuMs };
  }

  dispose(): void {
    if (this.child.exitCode === null) this.child.stdin.end(); // it exits when stdin closes
  }

  private nextLine(): Promise<string> {
    const queued = this.lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`PIL worker exited (${code}): ${this.stderr}`));
      this.child.once('exit', onExit);
      this.waiting = (line) => {
        this.waiting = undefined;
        this.child.off('exit', onExit);
        resolve(line);
      };
    });
  }
}
