import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DatasetIndex } from '../../../src/core/dataset/datasetIndex';
import { DEFAULT_IMAGE_EXTENSIONS, extensionSet } from '../../../src/core/dataset/imageFiles';
import { ImageEntry, IndexOptions } from '../../../src/core/dataset/types';

/** Temp folders made by a test file; `cleanup()` in an after/afterEach hook removes them all. */
export class TempDirs {
  private readonly dirs: string[] = [];

  async make(prefix = 'ic-unit-'): Promise<string> {
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), prefix));
    this.dirs.push(dir);
    return dir;
  }

  async cleanup(): Promise<void> {
    for (const dir of this.dirs.splice(0)) {
      await restoreModes(dir);
      await fs.promises.rm(dir, { recursive: true, force: true });
    }
  }
}

/** Gives back permissions a test took away (chmod 000) so the folder can be removed. */
async function restoreModes(dir: string): Promise<void> {
  await fs.promises.chmod(dir, 0o755).catch(() => undefined);
  const entries = await fs.promises.readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) await restoreModes(full);
    else if (e.isFile()) await fs.promises.chmod(full, 0o644).catch(() => undefined);
  }
}

/**
 * Writes files under `root`: keys are '/'-separated relative paths, values their content.
 * A key ending in '/' makes an empty folder.
 */
export async function writeTree(root: string, files: Record<string, string | Uint8Array>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(root, ...rel.split('/'));
    if (rel.endsWith('/')) {
      await fs.promises.mkdir(full, { recursive: true });
      continue;
    }
    await fs.promises.mkdir(path.dirname(full), { recursive: true });
    await fs.promises.writeFile(full, content);
  }
}

/** Every entry under `root` (links not followed) with its kind, size and mtime, sorted. */
export async function snapshotTree(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    for (const e of await fs.promises.readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      const st = await fs.promises.lstat(full);
      out.push(`${r} ${e.isDirectory() ? 'd' : e.isSymbolicLink() ? 'l' : 'f'} ${st.size} ${st.mtimeMs}`);
      if (e.isDirectory()) await walk(full, r);
    }
  };
  await walk(root, '');
  return out.sort();
}

export function indexOptions(overrides: Partial<IndexOptions> = {}): IndexOptions {
  return {
    imageExtensions: extensionSet(DEFAULT_IMAGE_EXTENSIONS),
    captionExtension: '.txt',
    recursive: true,
    caseInsensitiveStems: false,
    followLinksOutside: false,
    ...overrides,
  };
}

/** An image's path relative to the dataset root, '/'-separated. */
export function relOf(image: ImageEntry): string {
  return image.folder.relPath ? `${image.folder.relPath}/${image.name}` : image.name;
}

/** The relative paths of all images in dataset order. */
export function listed(index: DatasetIndex): string[] {
  return index.images().map(relOf);
}

export function byRel(index: DatasetIndex, rel: string): ImageEntry {
  const found = index.images().find((img) => relOf(img) === rel);
  if (!found) throw new Error(`image ${rel} is not in the index: ${listed(index).join(', ')}`);
  return found;
}

/** A file's bytes, or undefined when there is none; any other failure to read it (a folder, no permission) fails the test. */
export function bytesOf(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** True when chmod 000 really keeps this process out of `target` (false when running as root). */
export function chmodDenies(target: string): boolean {
  try {
    if (fs.statSync(target).isDirectory()) fs.readdirSync(target);
    else fs.readFileSync(target);
    return false;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EACCES') throw err;
    return true;
  }
}

/** The conventional `nobody` user and group. */
const UNPRIVILEGED_ID = 65534;

/**
 * Runs `work` where chmod 000 keeps this process out: as root (CI containers, where permissions
 * never deny a read) it runs with the effective user and group set to `nobody` and puts root back
 * after, so tests of unreadable files run everywhere instead of skipping themselves. Files `work`
 * reaches must sit in folders `nobody` may enter (mkdtemp makes them 0700: chmod them 0755).
 */
export async function withoutRootPrivileges<T>(work: () => Promise<T>): Promise<T> {
  if (process.getuid?.() !== 0) return work();
  process.setegid!(UNPRIVILEGED_ID);
  process.seteuid!(UNPRIVILEGED_ID);
  try {
    return await work();
  } finally {
    process.seteuid!(0);
    process.setegid!(0);
  }
}
