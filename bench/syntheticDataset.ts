import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_CAPTION_EXTENSION, DEFAULT_IMAGE_EXTENSIONS, extensionSet } from '../src/core/dataset/imageFiles';
import { IndexOptions } from '../src/core/dataset/types';

/** A generated tree: `top` folders, each with `sub` folders, each holding `perFolder` empty images. */
export interface DatasetShape {
  readonly top: number;
  readonly sub: number;
  readonly perFolder: number;
  /** Every image has a caption file (otherwise about 30% have one). */
  readonly allCaptioned?: boolean;
}

export const LARGE_DATASET: DatasetShape = { top: 25, sub: 40, perFolder: 100 }; // 100,000 images in 1,000 folders
export const SMALL_DATASET: DatasetShape = { top: 2, sub: 5, perFolder: 10 }; // 100 images, same depth
export const MILLION_DATASET: DatasetShape = { top: 100, sub: 100, perFolder: 100, allCaptioned: true }; // 1,000,000 images + captions in 10,000 folders

/** Git-ignored folder of trees too big to generate on every run (out/bench/x.js -> repository root). */
export const BENCH_CACHE = path.resolve(__dirname, '..', '..', '.bench-cache');
const COMPLETE_MARKER = '.complete';

/** The options the extension uses by default. */
export const benchIndexOptions: IndexOptions = {
  imageExtensions: extensionSet(DEFAULT_IMAGE_EXTENSIONS),
  captionExtension: DEFAULT_CAPTION_EXTENSION,
  recursive: true,
  caseInsensitiveStems: false,
  followLinksOutside: false,
};

export function imageCount(shape: DatasetShape): number {
  return shape.top * shape.sub * shape.perFolder;
}

/** Generates each shape once per run under one temporary folder, removed by `dispose`. */
export class SyntheticDatasets {
  private readonly root = mkdtempSync(path.join(os.tmpdir(), 'image-captioner-bench-'));
  private readonly made = new Map<string, string>();

  /** The folder holding a tree of `shape`, generated on first use. */
  get(shape: DatasetShape): string {
    const key = shapeKey(shape);
    let dir = this.made.get(key);
    if (!dir) {
      dir = path.join(this.root, key);
      writeTree(dir, shape);
      this.made.set(key, dir);
    }
    return dir;
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/**
 * The folder holding a tree of `shape` in BENCH_CACHE, generated once and kept for later runs (a marker
 * written last tells a complete tree from one cut short); delete BENCH_CACHE to reclaim the space.
 */
export function cachedDataset(shape: DatasetShape): { dir: string; generatedMs?: number } {
  const dir = path.join(BENCH_CACHE, shapeKey(shape));
  if (existsSync(path.join(dir, COMPLETE_MARKER))) return { dir };
  const started = performance.now();
  rmSync(dir, { recursive: true, force: true });
  writeTree(dir, shape);
  writeFileSync(path.join(dir, COMPLETE_MARKER), ''); // a dot file: the index and `find -name` skip it alike
  return { dir, generatedMs: performance.now() - started };
}

function shapeKey(shape: DatasetShape): string {
  return `${shape.top}x${shape.sub}x${shape.perFolder}${shape.allCaptioned ? '-captioned' : ''}`;
}

/** Mixed .jpg/.png names, about 30% (or all) with a `.txt` caption beside them; all files empty. */
function writeTree(dir: string, shape: DatasetShape): void {
  let n = 0;
  for (let t = 0; t < shape.top; t++) {
    for (let s = 0; s < shape.sub; s++) {
      const folder = path.join(dir, `set_${pad(t, 3)}`, `part_${pad(s, 3)}`);
      mkdirSync(folder, { recursive: true });
      for (let i = 0; i < shape.perFolder; i++, n++) {
        const stem = `img_${pad(n, 6)}`;
        writeFileSync(path.join(folder, `${stem}${n % 3 === 0 ? '.png' : '.jpg'}`), '');
        if (shape.allCaptioned || n % 10 < 3) writeFileSync(path.join(folder, `${stem}.txt`), '');
      }
    }
  }
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** A seeded picker: the same sequence of choices on every run. */
export type Pick = <T>(items: readonly T[]) => T;

/**
 * 100,000 caption files laid out as LARGE_DATASET (100 per folder in 1,000 folders), caption n
 * written as `captionOf(n, pick)`; returns each image's and caption's path (the images are not written).
 */
export function writeCaptionFiles(root: string, captionOf: (n: number, pick: Pick) => string): { imagePath: string; captionPath: string }[] {
  let seed = 42;
  const pick: Pick = (items) => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return items[(seed >>> 8) % items.length];
  };
  const pairs: { imagePath: string; captionPath: string }[] = [];
  const perFolder = LARGE_DATASET.perFolder;
  for (let f = 0; f < imageCount(LARGE_DATASET) / perFolder; f++) {
    const folder = path.join(root, `set_${String(Math.floor(f / LARGE_DATASET.sub)).padStart(3, '0')}`, `part_${String(f % LARGE_DATASET.sub).padStart(3, '0')}`);
    mkdirSync(folder, { recursive: true });
    for (let i = 0; i < perFolder; i++) {
      const n = f * perFolder + i;
      const stem = path.join(folder, `img_${String(n).padStart(6, '0')}`);
      writeFileSync(`${stem}.txt`, captionOf(n, pick));
      pairs.push({ imagePath: `${stem}.jpg`, captionPath: `${stem}.txt` });
    }
  }
  return pairs;
}
