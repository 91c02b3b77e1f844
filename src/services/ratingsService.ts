import * as vscode from 'vscode';
import * as path from 'node:path';
import { isImageName } from '../core/dataset/imageFiles';
import { DATASET_META_FOLDER, isStars, MAX_STARS, RATINGS_FILE_NAME, RatingChanges, RatingsFileError, ignoredEntriesMessage, ratingsFilePath, readRatingsFile, updateRatings } from '../core/curation/ratingsFile';
import { PathMove, ratingMoveChanges, ratingsClearedUnder } from '../core/curation/ratingMoves';
import type { PairMove } from '../core/embeddings/pairMoves';
import { DatasetService } from './datasetService';
import { showWarning } from './notifications';

/** What changed: the dataset-relative paths whose stars changed, or every path (a reload). */
export interface RatingsChange {
  readonly relPaths?: readonly string[];
}

/** Undo steps kept for rating changes. */
const UNDO_LIMIT = 100;

/**
 * The open dataset's star ratings: a copy of `.image-captioner/ratings.json` in memory for views and
 * filters, every change a read-modify-write of the file (so other windows' changes survive), one
 * undo step per call of `rate`, and ratings that follow images renamed or moved in VS Code.
 */
export class RatingsService implements vscode.Disposable {
  private ratings = new Map<string, number>();
  private root?: string;
  private loaded: Promise<void> = Promise.resolve();
  /** Why the file could not be read (shown once per problem, and again when a change is refused). */
  private problem?: string;
  /** The last message about entries of the file that were set aside (not said again while unchanged). */
  private ignoredReported?: string;
  private readonly undoSteps: RatingChanges[] = [];
  /** Calls of `rate` not finished yet: Undo Rating waits for them (a key press, then Undo at once, undoes that press). */
  private readonly rating = new Set<Promise<void>>();
  /** File writes one at a time, in order: two quick key presses must not race each other's read-modify-write. */
  private writes: Promise<unknown> = Promise.resolve();
  private watcher?: vscode.FileSystemWatcher;
  private readonly emitter = new vscode.EventEmitter<RatingsChange>();
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  /** Fires after ratings changed (here or on disk). */
  readonly onDidChange = this.emitter.event;

  constructor(private readonly dataset: DatasetService, private readonly log: vscode.LogOutputChannel) {
    this.disposables.push(
      dataset.onDidChange(() => {
        if (dataset.index && dataset.index.rootPath !== this.root) this.reload();
      }),
      vscode.workspace.onDidRenameFiles((e) => void this.followRenames(e.files).catch((err: unknown) => this.reportFailure('carry the ratings of renamed files', err))),
    );
  }

  /** Resolves once the open dataset's ratings are read. */
  async whenLoaded(): Promise<void> {
    await this.dataset.whenReady();
    if (this.dataset.index && this.dataset.index.rootPath !== this.root) this.reload();
    await this.loaded;
  }

  /** The stars of an image by its dataset-relative '/' path; 0 when unrated. */
  ratingOf(relPath: string): number {
    return this.ratings.get(relPath) ?? 0;
  }

  /** The dataset-relative paths of every rated image. */
  ratedPaths(): string[] {
    return [...this.ratings.keys()];
  }

  /** Whether any image of the dataset is rated (exports then carry a rating field). */
  get hasRatings(): boolean {
    return this.ratings.size > 0;
  }

  /**
   * Gives each image (absolute paths inside the dataset) `stars` (0 clears), as one undo step.
   * Throws for stars outside 0-5, an image outside the dataset, or a ratings file that cannot be read.
   */
  async rate(imagePaths: readonly string[], stars: number): Promise<void> {
    const done = this.rateNow(imagePaths, stars);
    this.rating.add(done);
    try {
      await done;
    } finally {
      this.rating.delete(done);
    }
  }

  private async rateNow(imagePaths: readonly string[], stars: number): Promise<void> {
    if (!isStars(stars)) throw new Error(`A rating is a whole number of stars from 0 to ${MAX_STARS} (0 clears it), not ${String(stars)}.`);
    await this.whenLoaded();
    const index = this.dataset.index;
    if (!index) throw new Error('Open a dataset folder first: ratings are kept in the dataset.');
    const changes = new Map<string, number>();
    for (const imagePath of imagePaths) {
      const rel = index.relativePath(imagePath);
      if (!rel) throw new Error(`${imagePath} is not inside the dataset folder ${index.rootPath}, so it cannot be rated there.`);
      if (!isImageName(path.basename(imagePath), index.options.imageExtensions)) throw new Error(`${path.basename(imagePath)} is not an image (by its extension), so it cannot be rated.`);
      changes.set(rel, stars);
    }
    const previous = await this.apply(() => changes);
    if (previous.size > 0) {
      this.undoSteps.push(previous);
      if (this.undoSteps.length > UNDO_LIMIT) this.undoSteps.shift();
    }
  }

  /** Puts back the ratings before the last `rate`; false when there is nothing to undo. */
  async undo(): Promise<boolean> {
    await Promise.allSettled([...this.rating]);
    const step = this.undoSteps.pop();
    if (!step) return false;
    try {
      await this.apply(() => step);
    } catch (err) {
      this.undoSteps.push(step);
      throw err;
    }
    return true;
  }

  /** Carries the ratings of moved images or folders (dataset-relative paths) to their new paths. */
  async move(moves: readonly PathMove[]): Promise<void> {
    if (moves.length > 0) await this.apply((onDisk) => ratingMoveChanges(onDisk, moves));
  }

  /** Carries the ratings of image/sidecar pairs moved on disk (trash, CLIP score's failed folder): each pair's first file is its image. */
  async followPairMoves(moved: readonly PairMove[]): Promise<void> {
    await this.whenLoaded();
    const index = this.dataset.index;
    if (!index || moved.length === 0 || !this.hasRatings) return;
    const moves = moved.flatMap((pair) => {
      const image = pair.files[0];
      const from = image && index.relativePath(image.from);
      const to = image && index.relativePath(image.to);
      return from && to ? [{ from, to }] : [];
    });
    await this.move(moves);
  }

  /** Forgets the ratings at or below a dataset-relative folder (deleted for good). */
  async clearUnder(relFolder: string): Promise<void> {
    await this.apply((onDisk) => ratingsClearedUnder(onDisk, relFolder));
  }

  /** One read-modify-write of the file; the previous stars of each changed key come back. */
  private apply(change: (onDisk: ReadonlyMap<string, number>) => RatingChanges): Promise<Map<string, number>> {
    const run = async (): Promise<Map<string, number>> => {
      await this.whenLoaded();
      const index = this.dataset.index;
      if (!index) throw new Error('Open a dataset folder first: ratings are kept in the dataset.');
      let changed: string[] = [];
      const { ratings, previous } = await updateRatings(index.rootPath, index.boundary, (onDisk) => {
        const changes = change(onDisk);
        changed = [...changes.keys()];
        return changes;
      });
      this.problem = undefined;
      if (this.root === index.rootPath) {
        const before = this.ratings;
        this.ratings = ratings;
        const differ = changed.filter((key) => before.get(key) !== ratings.get(key));
        if (differ.length > 0) this.emitter.fire({ relPaths: differ });
      }
      return new Map([...previous].filter(([key, stars]) => (ratings.get(key) ?? 0) !== stars));
    };
    const result = this.writes.then(run, run);
    this.writes = result.catch(() => undefined);
    return result;
  }

  /** Reads the ratings of the dataset now open, and watches the file for changes made elsewhere. */
  private reload(): void {
    const index = this.dataset.index;
    this.root = index?.rootPath;
    this.watcher?.dispose();
    this.watcher = undefined;
    if (!index) {
      const hadRatings = this.ratings.size > 0;
      this.ratings = new Map();
      if (hadRatings) this.emitter.fire({});
      return;
    }
    const root = index.rootPath;
    const pattern = new vscode.RelativePattern(vscode.Uri.file(root), `${DATASET_META_FOLDER}/${RATINGS_FILE_NAME}`);
    this.watcher = vscode.workspace.createFileSystemWatcher(pattern);
    const read = (): void => {
      this.loaded = this.loaded.then(() => this.read(root));
    };
    this.watcher.onDidCreate(read);
    this.watcher.onDidChange(read);
    this.watcher.onDidDelete(read);
    this.loaded = this.read(root);
  }

  private async read(root: string): Promise<void> {
    const index = this.dataset.index;
    if (!index || index.rootPath !== root) return;
    const before = this.ratings;
    try {
      const { ratings, problems } = await readRatingsFile(root, index.boundary);
      this.ratings = ratings;
      this.problem = undefined;
      // Bad entries (a '..' key, "5" for stars) are left out of the ratings, said once per file state.
      const ignored = problems.length > 0 ? ignoredEntriesMessage(ratingsFilePath(root), problems) : undefined;
      if (ignored && ignored !== this.ignoredReported) void showWarning(ignored);
      if (ignored) this.log.warn(ignored);
      this.ignoredReported = ignored;
    } catch (err) {
      this.ratings = new Map();
      const message = (err as Error).message;
      this.log.error(message);
      if (this.problem !== message) {
        this.problem = message;
        void showWarning(err instanceof RatingsFileError ? message : `Could not read the star ratings: ${message}`);
      }
    }
    // Views are told only of what changed: a dataset without ratings never redraws for them.
    const changed = [...new Set([...before.keys(), ...this.ratings.keys()])].filter((key) => before.get(key) !== this.ratings.get(key));
    if (this.root === root && changed.length > 0) this.emitter.fire({ relPaths: changed });
  }

  /** Images (or folders of images) renamed in VS Code (Explorer, Rename Image…) keep their stars. */
  private async followRenames(files: ReadonlyArray<{ readonly oldUri: vscode.Uri; readonly newUri: vscode.Uri }>): Promise<void> {
    const index = this.dataset.index;
    if (!index || this.ratings.size === 0) return;
    const moves: PathMove[] = [];
    for (const { oldUri, newUri } of files) {
      const from = index.relativePath(oldUri.fsPath);
      const to = index.relativePath(newUri.fsPath);
      if (from && to && from !== to && [...this.ratings.keys()].some((k) => k === from || k.startsWith(`${from}/`))) moves.push({ from, to });
    }
    await this.move(moves);
  }

  private reportFailure(what: string, err: unknown): void {
    this.log.error(`Could not ${what}: ${(err as Error).message}`);
    void showWarning(`Could not ${what}: ${(err as Error).message}`);
  }

  dispose(): void {
    this.watcher?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
