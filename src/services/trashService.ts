import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { planRestore, planTrash, TRASH_FOLDER } from '../core/curation/trashPlan';
import { readTrashNames, type TrashNames, writeTrashNames } from '../core/curation/trashNames';
import { movePairs, reversePlan, type MoveOutcome, type PairMove } from '../core/embeddings/pairMoves';
import { claimedSidecarNames, REGIONS_SUFFIX, sidecarName, sidecarPath, sidecarSuffixes } from '../core/dataset/sidecars';
import type { DatasetIndex } from '../core/dataset/datasetIndex';
import type { ImageEntry } from '../core/dataset/types';
import { isImageName } from '../core/dataset/imageFiles';
import { DatasetService } from './datasetService';
import { RatingsService } from './ratingsService';

/** One Move to Trash, kept so it can be undone. */
export interface TrashOperation {
  readonly id: number;
  /** The pairs moved: `files[0]` is the image, `from` where it was, `to` where it is in the trash. */
  readonly moved: readonly PairMove[];
  /** Images left where they were, and why. */
  readonly skipped: ReadonlyArray<{ readonly imagePath: string; readonly reason: string }>;
  /** Why the ratings of the moved images could not follow them (the ratings file could not be read). */
  readonly ratingsProblem?: string;
}

export interface TrashContents {
  readonly images: number;
  readonly files: number;
}

/** Undo steps kept for Move to Trash. */
const UNDO_LIMIT = 20;

/**
 * Moves images with their caption and sidecars into `<dataset>/_trash/` (same subfolders, never
 * overwriting), carries their ratings there, undoes that byte for byte, and empties the trash.
 * `isUnsaved(file)` says whether a file is open with unsaved changes: such an image is not moved.
 */
export class TrashService {
  private readonly operations: TrashOperation[] = [];
  private nextId = 1;
  /** Trash, undo and empty run one at a time: an Undo pressed during a move undoes that move, not the one before. */
  private queue: Promise<unknown> = Promise.resolve();

  /** `warn`: where a trash-names file that could not be written is said (the moves are done either way). */
  constructor(
    private readonly dataset: DatasetService,
    private readonly ratings: RatingsService,
    private readonly isUnsaved: (file: string) => boolean,
    private readonly warn: (message: string) => void,
  ) {}

  /** The trash folder of the open dataset. */
  get trashPath(): string | undefined {
    const root = this.dataset.index?.rootPath;
    return root && path.join(root, TRASH_FOLDER);
  }

  /** Moves each image (absolute paths) with its files into the trash, as one undoable operation. */
  trash(imagePaths: readonly string[]): Promise<TrashOperation> {
    return this.serial(() => this.trashNow(imagePaths));
  }

  /** Puts the images of an operation (the last one by default) back where they were; files created there since are never overwritten. */
  undo(id?: number): Promise<(MoveOutcome & { readonly ratingsProblem?: string }) | undefined> {
    return this.serial(() => this.undoNow(id));
  }

  /** Deletes the trash folder for good; the ratings kept for it go too, and nothing trashed can be undone after. */
  empty(): Promise<void> {
    return this.serial(() => this.emptyNow());
  }

  /** Moves trashed images (paths inside the trash) with their sidecars back to the same place outside it, never overwriting. */
  restore(trashedPaths: readonly string[]): Promise<MoveOutcome & { readonly refusedPaths: ReadonlyArray<{ readonly imagePath: string; readonly reason: string }>; readonly ratingsProblem?: string }> {
    return this.serial(async () => {
      await this.dataset.whenReady();
      const index = this.dataset.index;
      if (!index) throw new Error('Open a dataset folder first: the trash is a folder of the dataset.');
      const suffixes = sidecarSuffixes(index.options.captionExtension, index.options.secondCaptionExtension);
      const names = await readTrashNames(index.rootPath, index.boundary);
      const originalPath = (trashed: string): string | undefined => {
        const name = names.get(trashKey(index, trashed));
        return name && path.join(index.rootPath, path.relative(path.join(index.rootPath, TRASH_FOLDER), path.dirname(trashed)), name);
      };
      const plan = await planRestore(trashedPaths.map((imagePath) => ({ imagePath, sidecarSuffixes: suffixes })), index.rootPath, originalPath);
      const outcome = await movePairs(plan.moves, index.boundary);
      await this.updateNames(index, names, (n) => outcome.moved.forEach((pair) => n.delete(trashKey(index, pair.imagePath))));
      return { ...outcome, refusedPaths: plan.refused, ratingsProblem: await this.carryRatings(outcome.moved) };
    });
  }

  /** Every image in the trash now (absolute paths, sorted), for a picker. */
  async trashedImages(): Promise<string[]> {
    return (await this.listTrash()).images;
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async trashNow(imagePaths: readonly string[]): Promise<TrashOperation> {
    await this.dataset.whenReady();
    const index = this.dataset.index;
    if (!index) throw new Error('Open a dataset folder first: the trash is a folder of the dataset.');
    const suffixes = sidecarSuffixes(index.options.captionExtension, index.options.secondCaptionExtension);
    const skipped: Array<{ imagePath: string; reason: string }> = [];
    const movable: string[] = [];
    const moving = new Set(imagePaths.map((p) => path.resolve(p)));
    for (const imagePath of moving) {
      if (!isImageName(path.basename(imagePath), index.options.imageExtensions)) {
        skipped.push({ imagePath, reason: 'it is not an image of the dataset (by its extension)' });
        continue;
      }
      const files = [imagePath, ...suffixes.map((s) => sidecarPath(imagePath, s))];
      const unsaved = files.filter((f) => this.isUnsaved(f));
      if (unsaved.length > 0) skipped.push({ imagePath, reason: `${unsaved.map((f) => path.basename(f)).join(', ')} has unsaved changes: save or revert it first` });
      else movable.push(imagePath);
    }
    const plan = await planTrash(
      movable.map((imagePath) => ({ imagePath, sidecarSuffixes: this.sharedSidecarsStay(imagePath, moving) ? [] : suffixes })),
      index.rootPath,
    );
    skipped.push(...plan.refused);
    const outcome = await movePairs(plan.moves, index.boundary);
    skipped.push(...whyNotMoved(outcome));
    await this.updateNames(index, await readTrashNames(index.rootPath, index.boundary), (names) => {
      for (const { files } of outcome.moved) {
        const image = files[0];
        if (!image) continue;
        // An image there under its own name replaces what an earlier one of that trash name left (undone, or moved away outside VS Code).
        if (path.basename(image.to) !== path.basename(image.from)) names.set(trashKey(index, image.to), path.basename(image.from));
        else names.delete(trashKey(index, image.to));
      }
    });
    const operation: TrashOperation = { id: this.nextId++, moved: outcome.moved, skipped, ratingsProblem: await this.carryRatings(outcome.moved) };
    if (operation.moved.length > 0) {
      this.operations.push(operation);
      if (this.operations.length > UNDO_LIMIT) this.operations.shift();
    }
    return operation;
  }

  private async undoNow(id?: number): Promise<(MoveOutcome & { readonly ratingsProblem?: string }) | undefined> {
    const at = id === undefined ? this.operations.length - 1 : this.operations.findIndex((o) => o.id === id);
    const operation = this.operations[at];
    const index = this.dataset.index;
    if (!operation || !index) return undefined;
    const outcome = await movePairs(reversePlan(operation.moved), index.boundary);
    // Images back out of the trash have no trash name to remember (a reversed pair's imagePath is its place in the trash).
    await this.updateNames(index, await readTrashNames(index.rootPath, index.boundary), (names) => outcome.moved.forEach((pair) => names.delete(trashKey(index, pair.imagePath))));
    const back = new Set(outcome.moved.map((p) => p.files[0]?.to));
    const left = operation.moved.filter((p) => !back.has(p.files[0]?.from));
    if (left.length > 0) this.operations[at] = { ...operation, moved: left };
    else this.operations.splice(at, 1);
    return { ...outcome, ratingsProblem: await this.carryRatings(outcome.moved) };
  }

  /** Images and files in the trash now (for the question before emptying it). */
  async contents(): Promise<TrashContents> {
    const { images, files } = await this.listTrash();
    return { images: images.length, files };
  }

  /** The trash's images and its count of files of any kind; nothing when it is missing or not a real folder. */
  private async listTrash(): Promise<{ images: string[]; files: number }> {
    const trash = this.trashPath;
    const extensions = this.dataset.index?.options.imageExtensions;
    const images: string[] = [];
    let files = 0;
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else {
          files++;
          if (extensions && isImageName(entry.name, extensions)) images.push(full);
        }
      }
    };
    if (trash && (await isRealFolder(trash))) await walk(trash);
    return { images: images.sort(), files };
  }

  private async emptyNow(): Promise<void> {
    const trash = this.trashPath;
    const index = this.dataset.index;
    if (!trash || !index) return;
    const stat = await fs.lstat(trash).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
    if (!stat) return;
    if (!stat.isDirectory()) throw new Error(`${trash} is not a folder (a link or a file), so it was not emptied; remove it yourself if it is not needed.`);
    await index.boundary.checkFolderOf(path.join(trash, 'x'));
    await fs.rm(trash, { recursive: true });
    this.operations.length = 0;
    await this.updateNames(index, await readTrashNames(index.rootPath, index.boundary), (names) => names.clear());
    await this.ratings.clearUnder(TRASH_FOLDER);
  }

  /** An image that shares a sidecar (a collision: `a.jpg`/`a.png`, or a second caption that is another image's caption) with an image that stays leaves its sidecars with it. */
  private sharedSidecarsStay(imagePath: string, moving: ReadonlySet<string>): boolean {
    const index = this.dataset.index;
    const image = index?.findImage(imagePath);
    if (!index || !image?.collision) return false;
    return image.folder.images.some((other) => other !== image && !moving.has(index.imagePath(other)) && sharesSidecar(index, image, other));
  }

  /** Changes the kept original names (`.image-captioner/trash-names.json`) and writes them when they changed; a failure is said, not thrown. */
  private async updateNames(index: DatasetIndex, names: TrashNames, change: (names: TrashNames) => void): Promise<void> {
    const before = JSON.stringify([...names]);
    change(names);
    if (JSON.stringify([...names]) === before) return;
    try {
      await writeTrashNames(index.rootPath, index.boundary, names);
    } catch (err) {
      this.warn(`The original names of trashed images could not be kept (Restore from Trash keeps their trash names): ${(err as Error).message}`);
    }
  }

  /** Moves the ratings of moved images along; why it could not, when it could not (the files have moved either way). */
  private async carryRatings(moved: readonly PairMove[]): Promise<string | undefined> {
    try {
      await this.ratings.followPairMoves(moved);
      return undefined;
    } catch (err) {
      return (err as Error).message;
    }
  }
}

/** Whether two images of one folder claim a sidecar name in common. */
function sharesSidecar(index: DatasetIndex, image: ImageEntry, other: ImageEntry): boolean {
  const { captionExtension, secondCaptionExtension, caseInsensitiveStems } = index.options;
  const fold = (name: string): string => (caseInsensitiveStems ? name.toLowerCase() : name);
  const theirs = new Set([...claimedSidecarNames(other.name, captionExtension, secondCaptionExtension), sidecarName(other.name, REGIONS_SUFFIX)].map(fold));
  return [...claimedSidecarNames(image.name, captionExtension, secondCaptionExtension), sidecarName(image.name, REGIONS_SUFFIX)].some((name) => theirs.has(fold(name)));
}

/** The key of a trashed image in the trash-names file: its dataset-relative '/' path. */
function trashKey(index: DatasetIndex, trashed: string): string {
  return index.relativePath(trashed) ?? '';
}

function whyNotMoved(outcome: MoveOutcome): Array<{ imagePath: string; reason: string }> {
  return [
    ...outcome.refused.map((r) => ({ imagePath: r.pair.imagePath, reason: `${r.existing.join(', ')} appeared in the trash meanwhile` })),
    ...outcome.failed.map((f) => ({ imagePath: f.pair.imagePath, reason: f.error })),
  ];
}

async function isRealFolder(dir: string): Promise<boolean> {
  const stat = await fs.lstat(dir).catch(() => undefined);
  return stat?.isDirectory() ?? false;
}
