import { promises as fs, realpathSync } from 'node:fs';
import * as path from 'node:path';

/** A file whose real path (links resolved) lies outside the dataset: it is neither read nor written. */
export class OutsideDatasetError extends Error {
  constructor(readonly file: string) {
    super(`${file} resolves to a place outside the dataset folder (a link); it is not read or written here.`);
    this.name = 'OutsideDatasetError';
  }
}

/** Folders remembered as checked, per boundary, so bulk reads cost one realpath per folder, not per file. */
const FOLDER_CACHE_LIMIT = 50_000;

/**
 * Where a dataset's files may be read and written: its root folder (real path), plus the targets of
 * folder links the user allowed to lead outside it. Every sidecar read and write checks its real
 * path against this, so a link or a setting can never reach a file elsewhere.
 */
export class DatasetBoundary {
  private readonly roots: string[];
  private readonly checkedFolders = new Map<string, boolean>();

  private constructor(realRoot: string) {
    this.roots = [realRoot];
  }

  /** The boundary of the folder `root` (its real path). */
  static async at(root: string): Promise<DatasetBoundary> {
    return new DatasetBoundary(await fs.realpath(path.resolve(root)));
  }

  static atSync(root: string): DatasetBoundary {
    return new DatasetBoundary(realpathSync.native(path.resolve(root)));
  }

  /** The dataset folder's real path. */
  get root(): string {
    return this.roots[0];
  }

  /** Lets the real folder a followed link leads to in (only when the user allowed links outside). */
  admit(realFolder: string): void {
    if (!this.contains(realFolder)) this.roots.push(realFolder);
    this.checkedFolders.clear();
  }

  /** Whether a real (link-free, absolute) path is one of the roots or lies below one. */
  contains(realPath: string): boolean {
    return this.roots.some((root) => isWithin(root, realPath));
  }

  /** Forgets checked folders (after the dataset changed on disk). */
  forgetCheckedFolders(): void {
    this.checkedFolders.clear();
  }

  /** Throws OutsideDatasetError unless the folder holding `file` really lies inside. */
  async checkFolderOf(file: string): Promise<void> {
    const dir = path.dirname(path.resolve(file));
    const known = this.checkedFolders.get(dir);
    if (known === undefined) this.remember(dir, this.contains(await realFolder(dir)));
    if (!this.checkedFolders.get(dir)) throw new OutsideDatasetError(file);
  }

  checkFolderOfSync(file: string): void {
    const dir = path.dirname(path.resolve(file));
    const known = this.checkedFolders.get(dir);
    if (known === undefined) this.remember(dir, this.contains(realFolderSync(dir)));
    if (!this.checkedFolders.get(dir)) throw new OutsideDatasetError(file);
  }

  /** The real path of an existing file, checked to lie inside; throws OutsideDatasetError or the fs error. */
  async realFile(file: string): Promise<string> {
    const real = await fs.realpath(file);
    if (!this.contains(real)) throw new OutsideDatasetError(file);
    return real;
  }

  realFileSync(file: string): string {
    const real = realpathSync.native(file);
    if (!this.contains(real)) throw new OutsideDatasetError(file);
    return real;
  }

  private remember(dir: string, inside: boolean): void {
    if (this.checkedFolders.size >= FOLDER_CACHE_LIMIT) this.checkedFolders.clear();
    this.checkedFolders.set(dir, inside);
  }
}

/** Whether `child` is `parent` or below it (both absolute, normalized). */
export function isWithin(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** A folder that does not exist resolves as its nearest existing ancestor would: a write creates nothing outside that. */
async function realFolder(dir: string): Promise<string> {
  try {
    return await fs.realpath(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || path.dirname(dir) === dir) throw err;
    return path.join(await realFolder(path.dirname(dir)), path.basename(dir));
  }
}

function realFolderSync(dir: string): string {
  try {
    return realpathSync.native(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || path.dirname(dir) === dir) throw err;
    return path.join(realFolderSync(path.dirname(dir)), path.basename(dir));
  }
}
