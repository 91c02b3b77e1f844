/**
 * CLIP scores of image/caption pairs with the local CLIP model; keeps the last run's results, moves
 * the low-scoring pairs aside and back.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readCaptionSources } from '../core/captions/readCaptions';
import type { ImageEntry } from '../core/dataset/types';
import { DEFAULT_CLIP_THRESHOLD, clipScore, isFlagged, type ClipScoreResult } from '../core/embeddings/clipScore';
import { movePairs, planPairMoves, reversePlan, type MoveOutcome, type PairMove } from '../core/embeddings/pairMoves';
import type { DatasetBoundary } from '../core/files/datasetBoundary';
import { relativeFolderProblem } from '../core/files/relativeFolder';
import { regionsPathFor } from '../core/regions/regionsSidecar';
import type { LocalModelService } from './localModelService';
import type { DatasetService } from './datasetService';
import type { EmbeddingService } from './embeddingService';

const SECTION = 'imageCaptioner.clipScore';
const DEFAULT_FAILED_FOLDER = 'clip_failed';

export interface ClipScoreRun {
  readonly results: readonly ClipScoreResult[];
  /** Images without a caption (no file, or only whitespace): nothing to score. */
  readonly skipped: number;
}

export interface RunOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
}

export class ClipScoreService implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changeEmitter.event;
  private last: ClipScoreRun | undefined;
  /** The last move (its undo plan) and the results it took out of the last run. */
  private lastMove: { readonly moved: readonly PairMove[]; readonly results: readonly ClipScoreResult[] } | undefined;

  constructor(
    private readonly local: LocalModelService,
    private readonly embeddings: EmbeddingService,
    private readonly dataset: DatasetService,
  ) {}

  get lastRun(): ClipScoreRun | undefined {
    return this.last;
  }

  get canUndoMove(): boolean {
    return !!this.lastMove && this.lastMove.moved.length > 0;
  }

  threshold(): number {
    return vscode.workspace.getConfiguration(SECTION).get<number>('threshold', DEFAULT_CLIP_THRESHOLD);
  }

  /** The configured folder for flagged pairs, checked to name a folder inside the dataset; throws when it does not. */
  failedFolder(): string {
    const folder = vscode.workspace.getConfiguration(SECTION).get<unknown>('failedFolder', DEFAULT_FAILED_FOLDER);
    const value = typeof folder === 'string' ? folder.trim() || DEFAULT_FAILED_FOLDER : String(folder);
    const problem = relativeFolderProblem(value);
    if (problem) throw new Error(`The setting imageCaptioner.clipScore.failedFolder cannot be used: ${problem}.`);
    return value;
  }

  private boundary(): DatasetBoundary {
    const boundary = this.dataset.index?.boundary;
    if (!boundary) throw new Error('Open a dataset folder first.');
    return boundary;
  }

  /** Scores every captioned image of `images`; keeps the results as the last run. */
  async run(images: readonly ImageEntry[], options: RunOptions = {}): Promise<ClipScoreRun> {
    const run = await this.score(this.withoutMovedPairs(images), options);
    this.last = run;
    this.changeEmitter.fire();
    return run;
  }

  /** Scores pairs without keeping them (the current image's score). */
  async score(images: readonly ImageEntry[], options: RunOptions = {}): Promise<ClipScoreRun> {
    const index = this.dataset.index;
    if (!index) throw new Error('Open a dataset folder first.');
    const pairs: Array<{ imagePath: string; captionPath: string; text?: string; error?: string }> = [];
    let skipped = 0;
    for (const image of images.filter((img) => index.isOutside(img))) {
      pairs.push({ imagePath: index.imagePath(image), captionPath: index.captionPath(image), error: 'The image is a link to a file outside the dataset folder; it is not scored.' });
    }
    const { sources, failures } = await readCaptionSources(
      images.filter((image) => !index.isOutside(image)).map((image) => ({ imagePath: index.imagePath(image), captionPath: index.captionPath(image) })),
      index.boundary,
      { signal: options.signal },
    );
    for (const source of sources) {
      const text = source.text?.trim();
      if (text) pairs.push({ imagePath: source.imagePath, captionPath: source.captionPath, text });
      else skipped++;
    }
    for (const failure of failures) pairs.push({ imagePath: failure.imagePath, captionPath: failure.captionPath, error: `Caption not readable: ${failure.message}` });
    const readable = pairs.filter((p) => p.text !== undefined);
    const total = readable.length * 2;
    const model = this.local.clipModel();
    const imageVectors = await this.embeddings.embedImages(model, readable.map((p) => p.imagePath), index.boundary, {
      signal: options.signal,
      onProgress: (done) => options.onProgress?.(done, total),
    });
    const textVectors = await this.embeddings.embedTexts(model, readable.map((p) => p.text!), {
      signal: options.signal,
      onProgress: (done) => options.onProgress?.(readable.length + done, total),
    });
    const scores = new Map<string, ClipScoreResult>();
    readable.forEach((pair, i) => {
      const image = imageVectors[i];
      const text = textVectors[i];
      const { imagePath, captionPath } = pair;
      if (!image.ok) scores.set(imagePath, { imagePath, captionPath, error: image.error });
      else if (!text.ok) scores.set(imagePath, { imagePath, captionPath, error: text.error });
      else scores.set(imagePath, { imagePath, captionPath, score: clipScore(image.vector, text.vector) });
    });
    const results = pairs.map((p) => scores.get(p.imagePath) ?? { imagePath: p.imagePath, captionPath: p.captionPath, error: p.error ?? 'Not scored' });
    return { results, skipped };
  }

  /** The last run's pairs below the threshold. */
  flagged(): ClipScoreResult[] {
    const threshold = this.threshold();
    return (this.last?.results ?? []).filter((r) => isFlagged(r, threshold));
  }

  /** Where flagged pairs go: `<dataset root>/<failed folder>`. */
  /** Pairs already moved to the failed folder stay out of a wider run (a run over that folder alone still scores them). */
  private withoutMovedPairs(images: readonly ImageEntry[]): readonly ImageEntry[] {
    let folder: string | undefined;
    try {
      folder = this.failedFolderPath();
    } catch {
      return images; // no usable folder, so nothing can have been moved into it; moving says why
    }
    const index = this.dataset.index;
    if (!folder || !index) return images;
    const inside = (image: ImageEntry) => index.imagePath(image).startsWith(folder + path.sep);
    const outside = images.filter((image) => !inside(image));
    return outside.length > 0 ? outside : images;
  }

  failedFolderPath(): string | undefined {
    const root = this.dataset.rootPath;
    return root && vscode.Uri.joinPath(vscode.Uri.file(root), this.failedFolder()).fsPath;
  }

  /** Moves every flagged pair (image, caption, second caption, regions sidecar) into the failed folder. */
  async moveFlagged(): Promise<MoveOutcome> {
    const root = this.dataset.rootPath;
    if (!root) throw new Error('Open a dataset folder first.');
    const flagged = this.flagged();
    const { movable, held } = this.withoutSharedCaptions(flagged);
    const index = this.dataset.index;
    const secondCaption = (imagePath: string): string[] => {
      const image = index?.findImage(imagePath);
      const second = image && index!.secondCaptionPath(image);
      return second ? [second] : [];
    };
    const pairs = movable.map((r) => ({ imagePath: r.imagePath, captionPath: r.captionPath, sidecars: [regionsPathFor(r.imagePath), ...secondCaption(r.imagePath)] }));
    const moves = await movePairs(planPairMoves(pairs, root, this.failedFolder()), this.boundary());
    const outcome: MoveOutcome = { ...moves, failed: [...held, ...moves.failed] };
    const movedImages = new Set(outcome.moved.map((p) => p.imagePath));
    const results = this.last?.results ?? [];
    if (this.last) this.last = { ...this.last, results: results.filter((r) => !movedImages.has(r.imagePath)) };
    this.lastMove = { moved: outcome.moved, results: results.filter((r) => movedImages.has(r.imagePath)) };
    this.changeEmitter.fire();
    return outcome;
  }

  /** A caption shared (stem collision) with an image that stays must not be taken away from it. */
  private withoutSharedCaptions(flagged: readonly ClipScoreResult[]): { movable: ClipScoreResult[]; held: MoveOutcome['failed'][number][] } {
    const index = this.dataset.index;
    const moving = new Set(flagged.map((r) => r.imagePath));
    const movable: ClipScoreResult[] = [];
    const held: MoveOutcome['failed'][number][] = [];
    for (const result of flagged) {
      const image = index?.findImage(result.imagePath);
      const staying = image?.collision
        ? image.folder.images.filter((other) => other !== image && index!.captionPath(other) === result.captionPath && !moving.has(index!.imagePath(other)))
        : [];
      if (staying.length === 0) movable.push(result);
      else held.push({ pair: { imagePath: result.imagePath, files: [] }, error: `its caption is shared with ${staying.map((s) => s.name).join(', ')}, which stays` });
    }
    return { movable, held };
  }

  /** Moves the last moved pairs back; pairs whose original place is taken now stay where they are. */
  async undoMove(): Promise<MoveOutcome | undefined> {
    if (!this.lastMove) return undefined;
    const outcome = await movePairs(reversePlan(this.lastMove.moved), this.boundary());
    const back = new Set(outcome.moved.map((p) => p.files[0]?.to));
    const { moved, results } = this.lastMove;
    const left = moved.filter((p) => !back.has(p.files[0]?.from));
    if (this.last) this.last = { ...this.last, results: [...this.last.results, ...results.filter((r) => back.has(r.imagePath))] };
    this.lastMove = left.length > 0 ? { moved: left, results: results.filter((r) => !back.has(r.imagePath)) } : undefined;
    this.changeEmitter.fire();
    return outcome;
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }
}
