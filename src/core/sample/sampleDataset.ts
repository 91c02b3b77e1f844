/**
 * The sample dataset, drawn here (no downloaded photos) so it is the same bytes on every machine and
 * every run: "Open Sample Dataset" writes it into the extension's storage, `scripts/makeExamples.ts`
 * into a folder, the integration launcher into its workspace. It holds the hard cases on purpose
 * (a stem collision, a broken and an empty image, EXIF rotation, a BOM and CRLF caption).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import sharp, { Sharp } from 'sharp';
import { Canvas, seededRandom } from './sampleCanvas';
import * as scenes from './sampleImages';

/** Bump when the dataset's content changes, so existing copies are regenerated. */
export const SAMPLE_DATASET_VERSION = 1;
export const SAMPLE_MARKER = '.sample-dataset';

interface DrawnImage {
  readonly path: string;
  readonly draw: () => Canvas;
  readonly encode: (image: Sharp) => Sharp;
  /** Written beside the image as `<stem>.txt`: text (UTF-8, as is) or exact bytes. */
  readonly caption?: string | Buffer;
}

const CAFES = 'caf\u00e9s & more'; // NFC, spelled out so the folder name never depends on the editor's normalization
const jpeg = (image: Sharp): Sharp => image.jpeg({ quality: 85 });
const png = (image: Sharp): Sharp => image.png({ compressionLevel: 9 });
const webp = (image: Sharp): Sharp => image.webp({ quality: 80 });

const DRAWN: readonly DrawnImage[] = [
  {
    path: 'sunset.jpg', draw: () => scenes.sunset(800, 600), encode: jpeg,
    caption: 'A large orange sun setting behind dark purple rolling hills, under a sky fading from deep purple at the top to orange at the horizon.',
  },
  { path: 'checkerboard.png', draw: () => scenes.checkerboard(512, 8), encode: png },
  { path: 'noise.webp', draw: () => scenes.noise(640, 480), encode: webp },
  {
    path: 'landscapes/meadow.jpg', draw: () => scenes.meadow(3000, 2000), encode: jpeg,
    caption: 'A bright yellow sun in a clear blue sky above two layers of green rolling hills, the nearer hills darker green.',
  },
  { path: 'landscapes/night-hills.tif', draw: () => scenes.nightHills(640, 480), encode: (i) => i.tiff({ compression: 'lzw' }) },
  { path: 'landscapes/LAKE.JPG', draw: () => scenes.lake(800, 600), encode: jpeg },
  {
    // Stored sideways (640x480) with EXIF orientation 6: viewers that honour EXIF show it upright, 480x640.
    path: 'landscapes/tall-tree.jpg', draw: () => scenes.tallTree(480, 640),
    encode: (i) => i.rotate(270).withMetadata({ orientation: 6 }).jpeg({ quality: 85 }),
    caption: 'A single tree with a brown trunk and a round dark green crown, standing on green grass under a blue sky. Portrait orientation.',
  },
  {
    path: 'objects/ball.png', draw: () => scenes.ball(400, false), encode: png,
    caption: 'A shiny red ball.', // shared with ball.jpg: the stem collision the editor must refuse to write through
  },
  { path: 'objects/ball.jpg', draw: () => scenes.ball(400, true), encode: jpeg },
  {
    path: 'objects/house.png', draw: () => scenes.house(512, 768), encode: png,
    caption: 'A small beige house with a red triangular roof, a chimney, a brown door and two blue windows with white frames, on green grass under a blue sky.',
  },
  {
    path: 'objects/cat-face.gif', draw: () => scenes.catFace(400), encode: (i) => i.gif(),
    caption: 'cat, cartoon, face, orange, green eyes, pink nose, whiskers, simple shapes, light blue background',
  },
  {
    path: 'objects/vehicles/red-car.jpg', draw: () => scenes.redCar(800, 600), encode: jpeg,
    caption: Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('A red car seen from the side, with two black wheels and light blue windows,\r\non a gray road with a white dashed line, under a blue sky.\r\n', 'utf8'),
    ]),
  },
  {
    path: `${CAFES}/coffee cup.jpg`, draw: () => scenes.coffeeCup(640, 480), encode: jpeg,
    caption: 'A cup of black coffee seen from above: a white cup with a handle on a white saucer, on a wooden table.',
  },
  { path: `${CAFES}/menu board.webp`, draw: () => scenes.chalkboard(512, 768), encode: webp, caption: '' },
];

/** Files that are deliberately not valid images. */
const BROKEN: ReadonlyArray<readonly [string, () => Buffer]> = [
  ['objects/broken.jpg', () => randomBytes(4096, 1)],
  ['zero-bytes.png', () => Buffer.alloc(0)],
];

function randomBytes(length: number, seed: number): Buffer {
  const random = seededRandom(seed);
  return Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));
}

async function writeFileIn(root: string, relPath: string, data: Buffer | string): Promise<void> {
  const target = path.join(root, relPath);
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.writeFile(target, data);
}

async function writeDataset(root: string): Promise<void> {
  for (const image of DRAWN) {
    const canvas = image.draw();
    const raw = sharp(canvas.pixels, { raw: { width: canvas.width, height: canvas.height, channels: canvas.channels } });
    await writeFileIn(root, image.path, await image.encode(raw).toBuffer());
    if (image.caption !== undefined) {
      await writeFileIn(root, image.path.replace(/\.[^./]+$/, '.txt'), image.caption);
    }
  }
  for (const [relPath, bytes] of BROKEN) await writeFileIn(root, relPath, bytes());
  const marker = { generator: 'image-captioner src/core/sample/sampleDataset.ts', version: SAMPLE_DATASET_VERSION };
  await writeFileIn(root, SAMPLE_MARKER, JSON.stringify(marker, null, 2) + '\n');
}

/** The marker's generator version, or undefined when the folder holds no generated sample dataset. */
async function markerVersion(targetDir: string): Promise<number | undefined> {
  try {
    const marker = JSON.parse(await fs.readFile(path.join(targetDir, SAMPLE_MARKER), 'utf8')) as { version?: unknown };
    return typeof marker.version === 'number' ? marker.version : undefined;
  } catch {
    return undefined;
  }
}

async function isMissingOrEmpty(dir: string): Promise<boolean> {
  try {
    return (await fs.readdir(dir)).length === 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw err;
  }
}

/**
 * Writes the sample dataset into `targetDir`, replacing an earlier generated copy. Built in a
 * sibling folder and renamed into place, so an interrupted run never leaves a marked, partial dataset.
 * Refuses a non-empty folder that is not a generated sample dataset: it may hold someone's images.
 */
export async function makeSampleDataset(targetDir: string): Promise<void> {
  const target = path.resolve(targetDir);
  if ((await markerVersion(target)) === undefined && !(await isMissingOrEmpty(target))) {
    throw new Error(`${target} is not empty and holds no ${SAMPLE_MARKER} marker: choose an empty or new folder for the sample dataset`);
  }
  await fs.mkdir(path.dirname(target), { recursive: true });
  const staging = await fs.mkdtemp(path.join(path.dirname(target), `.${path.basename(target)}.partial-`));
  try {
    await writeDataset(staging);
    await fs.rm(target, { recursive: true, force: true });
    await fs.rename(staging, target);
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
}

/** Generates the dataset unless `targetDir` already holds this version of it (or `force` is set). */
export async function ensureSampleDataset(targetDir: string, force = false): Promise<'created' | 'up to date'> {
  if (!force && (await markerVersion(targetDir)) === SAMPLE_DATASET_VERSION) return 'up to date';
  await makeSampleDataset(targetDir);
  return 'created';
}
