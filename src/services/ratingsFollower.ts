import * as vscode from 'vscode';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { contentHash, ImageFingerprint, PairCandidate, pairVanishedImages, statFingerprint } from '../core/curation/imageFingerprints';
import { isImageName } from '../core/dataset/imageFiles';
import { isSkippedFolder } from '../core/dataset/folderScan';
import type { DatasetService } from './datasetService';
import type { RatingsService } from './ratingsService';
import { showWarning } from './notifications';

/** How long a vanished rated image waits for its new name (a rename's delete and create can fall in different batches). */
const PAIRING_WINDOW_MS = 10_000;
/** Entries looked at in a folder that appeared (a renamed folder): a bounded walk. */
const MAX_WALKED_ENTRIES = 20_000;

interface Vanished {
  readonly print: ImageFingerprint;
  readonly at: number;
}

/**
 * Carries ratings along with images renamed or moved outside VS Code (file manager, `mv`, `git mv`):
 * it remembers each rated image's fingerprint (size, identity, a bounded content hash), and on the
 * dataset watcher's events pairs a vanished rated image with the one new image that is the same file.
 * A rated image nothing matches keeps its rating in ratings.json (it comes back with the file) and
 * the user is told so: a rating is never dropped without a word.
 */
export class RatingsFollower implements vscode.Disposable {
  private readonly prints = new Map<string, ImageFingerprint>();
  private readonly vanished = new Map<string, Vanished>();
  /** New images of recent batches not yet paired (a create seen before its delete). */
  private recent: Array<PairCandidate & { readonly at: number }> = [];
  /** Fingerprinting and pairing run one at a time, in order. */
  private queue: Promise<unknown> = Promise.resolve();
  private expiry?: NodeJS.Timeout;
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly dataset: DatasetService,
    private readonly ratings: RatingsService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables = [
      ratings.onDidChange((change) => this.enqueue('remember rated images', () => this.remember(change.relPaths))),
      dataset.onDidSeeDiskChanges((paths) => this.enqueue('carry the ratings of images renamed outside VS Code', () => this.follow(paths))),
      // another dataset: what was known of the last one's files means nothing there (its paths are relative)
      dataset.onDidChange(() => {
        if (dataset.index && dataset.index.rootPath !== this.root) this.startOver(dataset.index.rootPath);
      }),
    ];
    this.startOver(dataset.index?.rootPath);
  }

  /** The dataset whose rated images are remembered. */
  private root?: string;

  /** Forgets every fingerprint and pairing and remembers the rated images of the dataset at `root` (at once: a rename right after opening must find them). */
  private startOver(root: string | undefined): void {
    this.root = root;
    this.prints.clear();
    this.vanished.clear();
    this.recent = [];
    this.enqueue('remember rated images', () => this.remember(undefined));
  }

  /** Resolves once the fingerprints and pairings asked for so far are done (tests, and callers that must see settled ratings). */
  settled(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  private enqueue(what: string, work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((err: unknown) => {
      this.log.error(`Could not ${what}: ${(err as Error).message}`);
    });
  }

  /** Takes the fingerprint of rated images not yet known (`relPaths`: those whose stars changed; absent: all). */
  private async remember(relPaths: readonly string[] | undefined): Promise<void> {
    await this.ratings.whenLoaded();
    const index = this.dataset.index;
    if (!index) return;
    const rated = new Set(this.ratings.ratedPaths());
    for (const key of [...this.prints.keys()]) if (!rated.has(key)) this.prints.delete(key);
    for (const rel of relPaths ?? rated) {
      if (!rated.has(rel) || this.prints.has(rel) || this.vanished.has(rel)) continue;
      const file = path.join(index.rootPath, ...rel.split('/'));
      const print = await statFingerprint(file);
      if (!print) continue; // rated but missing: nothing to recognize it by
      const hash = await contentHash(file, index.boundary).catch((err: unknown) => {
        this.log.warn(`Could not read ${file} to recognize it if it is moved: ${(err as Error).message}`);
        return undefined;
      });
      this.prints.set(rel, { ...print, hash });
    }
  }

  /** Pairs rated images that vanished with images that appeared, and moves their ratings. */
  private async follow(paths: readonly string[]): Promise<void> {
    await this.ratings.whenLoaded();
    const index = this.dataset.index;
    if (!index) return;
    if (this.prints.size === 0 && this.vanished.size === 0) return; // nothing rated to follow
    const now = Date.now();
    const changed = new Set(paths.map((p) => index.relativePath(p)).filter((rel): rel is string => rel !== undefined && rel !== ''));
    // a rated image is looked at when it or a folder above it changed (a set lookup per level, not a scan of the batch)
    const touched = (rel: string): boolean => {
      for (let at = rel.length; at > 0; at = rel.lastIndexOf('/', at - 1)) if (changed.has(rel.slice(0, at))) return true;
      return false;
    };
    const rated = new Set(this.ratings.ratedPaths());
    for (const [rel, print] of this.prints) {
      if (this.vanished.has(rel) || !touched(rel)) continue;
      if (!(await statFingerprint(path.join(index.rootPath, ...rel.split('/'))))) this.vanished.set(rel, { print, at: now });
    }
    const fresh: PairCandidate[] = [];
    for (const file of paths) await this.collectImages(file, fresh, index.options.imageExtensions, index.relativePath.bind(index));
    // A deletion event can be missing (a folder new to the watcher, events dropped under load): rated
    // images of a new image's size are looked at too (a stat each, only for those sizes).
    const sizes = new Set(fresh.filter((c) => !rated.has(c.relPath)).map((c) => c.fingerprint.size));
    for (const [rel, print] of this.prints) {
      if (this.vanished.has(rel) || !sizes.has(print.size)) continue;
      if (!(await statFingerprint(path.join(index.rootPath, ...rel.split('/'))))) this.vanished.set(rel, { print, at: now });
    }
    for (const [rel] of this.vanished) if (!rated.has(rel)) this.vanished.delete(rel); // its rating moved some other way (trash, a VS Code rename)
    // Earlier batches' new images still unrated and not new again in this one (a create seen before its delete).
    const freshPaths = new Set(fresh.map((c) => c.relPath));
    let earlier = this.recent.filter((c) => now - c.at < PAIRING_WINDOW_MS && !rated.has(c.relPath) && !freshPaths.has(c.relPath));
    // Only when there is something to pair are they checked unchanged (a stat each): a big copy's batches
    // with nothing vanished keep them as they are, to be checked by the batch that needs them.
    if (this.vanished.size > 0) {
      const unchanged: typeof earlier = [];
      for (const c of earlier) {
        const print = await statFingerprint(c.absPath);
        if (print && print.ino === c.fingerprint.ino && print.mtimeMs === c.fingerprint.mtimeMs) unchanged.push(c);
      }
      earlier = unchanged;
    }
    const freshUnrated = [...new Map(fresh.filter((c) => !rated.has(c.relPath)).map((c) => [c.relPath, c])).values()];
    this.recent = [...earlier, ...freshUnrated.map((c) => ({ ...c, at: now }))];
    // New images that took a vanished image's rating in this batch (a set, not a scan of `recent` per candidate).
    const paired = new Set<string>();
    // This batch's new images first: an older one with the same bytes (a copy made a while ago) must not win.
    for (const candidates of [freshUnrated, earlier]) {
      if (this.vanished.size === 0 || candidates.length === 0) continue;
      const vanished = new Map([...this.vanished].map(([rel, v]) => [rel, v.print]));
      const { moves } = await pairVanishedImages(vanished, candidates.filter((c) => !paired.has(c.relPath)), (c) => contentHash(c.absPath, index.boundary));
      if (moves.length === 0) continue;
      await this.ratings.move(moves);
      for (const { from, to } of moves) {
        const print = this.prints.get(from);
        this.prints.delete(from);
        if (print) this.prints.set(to, print);
        this.vanished.delete(from);
        paired.add(to);
        this.log.info(`The rating of ${from} followed it to ${to} (renamed outside VS Code).`);
      }
      this.recent = this.recent.filter((c) => !paired.has(c.relPath));
    }
    this.scheduleExpiry();
  }

  /** The images at `file` (an image, or every image below a folder that appeared), outside hidden and skipped folders. */
  private async collectImages(file: string, into: PairCandidate[], extensions: ReadonlySet<string>, relativePath: (p: string) => string | undefined): Promise<void> {
    let budget = MAX_WALKED_ENTRIES;
    const visit = async (abs: string): Promise<void> => {
      if (budget-- <= 0) return;
      const rel = relativePath(abs);
      if (!rel || rel.split('/').slice(0, -1).some(isSkippedFolder)) return;
      const stat = await fs.lstat(abs).catch(() => undefined);
      if (stat?.isDirectory()) {
        if (isSkippedFolder(path.basename(abs))) return;
        const names = await fs.readdir(abs).catch(() => [] as string[]);
        for (const name of names) await visit(path.join(abs, name));
      } else if (stat?.isFile() && isImageName(path.basename(abs), extensions)) {
        into.push({ relPath: rel, absPath: abs, fingerprint: { size: stat.size, dev: stat.dev, ino: stat.ino, mtimeMs: stat.mtimeMs } });
      }
    };
    await visit(file);
  }

  /** Vanished images still unmatched when their window closes keep their ratings in the file; the user is told which. */
  private scheduleExpiry(): void {
    if (this.expiry || this.vanished.size === 0) return;
    this.expiry = setTimeout(() => {
      this.expiry = undefined;
      this.enqueue('report ratings of vanished images', async () => {
        const now = Date.now();
        const rated = new Set(this.ratings.ratedPaths());
        const orphans = [...this.vanished].filter(([rel, v]) => now - v.at >= PAIRING_WINDOW_MS && rated.has(rel)).map(([rel]) => rel);
        for (const [rel, v] of this.vanished) if (now - v.at >= PAIRING_WINDOW_MS) this.vanished.delete(rel);
        if (orphans.length > 0) {
          const names = orphans.slice(0, 3).join(', ') + (orphans.length > 3 ? ` and ${orphans.length - 3} more` : '');
          this.log.warn(`Rated images gone without a new file that matches them: ${orphans.join(', ')}. Their ratings stay in ratings.json.`);
          void showWarning(`${names}: the rated image is gone and no new image matches it, so its rating stays in .image-captioner/ratings.json (it applies again if the file comes back under that name).`);
        }
        this.scheduleExpiry();
      });
    }, PAIRING_WINDOW_MS + 50);
  }

  dispose(): void {
    if (this.expiry) clearTimeout(this.expiry);
    for (const d of this.disposables) d.dispose();
  }
}
