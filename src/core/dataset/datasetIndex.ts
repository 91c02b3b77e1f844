import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DatasetBoundary, isWithin } from '../files/datasetBoundary';
import { compareNames } from './imageFiles';
import { FolderListing, scanFolder } from './folderScan';
import { claimedSidecarNames, secondCaptionSuffixProblem, sidecarName, sidecarSuffixProblem } from './sidecars';
import { CaptionState, FolderNode, ImageEntry, IndexCounts, IndexOptions } from './types';

const PARALLEL_SCANS = 16;

export class IndexCancelledError extends Error {
  constructor() {
    super('Indexing was cancelled');
  }
}

/**
 * The dataset in memory: folders and images, their caption files, and a global order for
 * O(1) navigation. Built from directory listings only: no image or caption is opened here.
 */
export class DatasetIndex {
  private order: ImageEntry[] = [];
  private orderStale = true;
  private readonly folders = new Map<string, FolderNode>();
  /** Real path of every listed folder -> its relPath, so a link never walks one real folder twice. */
  private readonly realFolders = new Map<string, string>();
  private readonly nameLookup = new WeakMap<ImageEntry[], Map<string, ImageEntry>>();
  /** Images that are links to files outside the dataset (rare, so a set rather than a field on every entry). */
  private readonly outsideImages = new WeakSet<ImageEntry>();

  private constructor(readonly root: FolderNode, readonly options: IndexOptions, readonly boundary: DatasetBoundary) {}

  /**
   * Walks `rootPath`, following folder links inside it (and outside only when the options allow),
   * never twice into one real folder. Throws for a caption extension that could name a file elsewhere.
   */
  static async build(rootPath: string, options: IndexOptions, signal?: AbortSignal): Promise<DatasetIndex> {
    const problem = sidecarSuffixProblem(options.captionExtension, options.imageExtensions);
    if (problem) throw new Error(`The caption extension "${options.captionExtension}" cannot be used: ${problem}.`);
    const second = options.secondCaptionExtension;
    const secondProblem = second ? secondCaptionSuffixProblem(second, options.captionExtension, options.imageExtensions) : undefined;
    if (secondProblem) throw new Error(`The second caption extension "${second}" cannot be used: ${secondProblem}.`);
    const absRoot = path.resolve(rootPath);
    const stat = await fs.stat(absRoot);
    if (!stat.isDirectory()) throw new Error(`Not a folder: ${absRoot}`);
    const root: FolderNode = newFolder(absRoot, '', path.basename(absRoot), undefined);
    const index = new DatasetIndex(root, options, await DatasetBoundary.at(absRoot));
    await index.populate([root], signal);
    return index;
  }

  get rootPath(): string {
    return this.root.absPath;
  }

  /** All images in dataset order. The array is shared: do not modify it. */
  images(): readonly ImageEntry[] {
    this.ensureOrder();
    return this.order;
  }

  get size(): number {
    return this.images().length;
  }

  folder(relPath: string): FolderNode | undefined {
    return this.folders.get(relPath);
  }

  folderOfPath(absPath: string): FolderNode | undefined {
    const rel = this.relativePath(absPath);
    return rel === undefined ? undefined : this.folders.get(rel);
  }

  /** The image at an absolute path, or undefined when it is not part of the dataset. */
  findImage(absPath: string): ImageEntry | undefined {
    const folder = this.folderOfPath(path.dirname(absPath));
    if (!folder) return undefined;
    let byName = this.nameLookup.get(folder.images);
    if (!byName) {
      byName = new Map(folder.images.map((img) => [img.name, img] as const));
      this.nameLookup.set(folder.images, byName);
    }
    return byName.get(path.basename(absPath));
  }

  // Plain concatenation: folder paths are already resolved and names hold no separator, and
  // path.join's normalization costs more than the rest of a 100,000-image pass.
  imagePath(image: ImageEntry): string {
    return joinName(image.folder.absPath, image.name);
  }

  captionPath(image: ImageEntry): string {
    return joinName(image.folder.absPath, sidecarName(image.name, this.options.captionExtension));
  }

  /** The image's second caption file (`<stem>.tags.txt`), or undefined when the dataset has no second captions. */
  secondCaptionPath(image: ImageEntry): string | undefined {
    const extension = this.options.secondCaptionExtension;
    return extension ? joinName(image.folder.absPath, sidecarName(image.name, extension)) : undefined;
  }

  /**
   * Why the image is flagged as a collision: the file it would share and the other image that claims
   * it (the first found); undefined when it is not flagged.
   */
  collisionOf(image: ImageEntry): { readonly file: string; readonly otherImage: string } | undefined {
    if (!image.collision) return undefined;
    const { captionExtension, secondCaptionExtension, caseInsensitiveStems } = this.options;
    const fold = (name: string): string => (caseInsensitiveStems ? name.toLowerCase() : name);
    const own = claimedSidecarNames(image.name, captionExtension, secondCaptionExtension);
    for (const other of image.folder.images) {
      if (other === image) continue;
      const theirs = new Set(claimedSidecarNames(other.name, captionExtension, secondCaptionExtension).map(fold));
      const file = own.find((name) => theirs.has(fold(name)));
      if (file) return { file, otherImage: other.name };
    }
    return undefined;
  }

  /** Whether the image is a link to a file outside the dataset: shown, but never read, sent to a model or exported. */
  isOutside(image: ImageEntry): boolean {
    return this.outsideImages.has(image);
  }

  /** Path of `absPath` relative to the root with '/' separators, or undefined when outside it. */
  relativePath(absPath: string): string | undefined {
    const resolved = path.resolve(absPath);
    if (!isWithin(this.root.absPath, resolved)) return undefined;
    return path.relative(this.root.absPath, resolved).split(path.sep).join('/');
  }

  at(position: number): ImageEntry | undefined {
    return this.images()[position];
  }

  /** The image `step` places away in dataset order, wrapping around at either end. */
  step(image: ImageEntry, step: number): ImageEntry | undefined {
    const order = this.images();
    if (order.length === 0) return undefined;
    const from = order[image.position] === image ? image.position : 0;
    return order[(((from + step) % order.length) + order.length) % order.length];
  }

  /** The next image after `image` whose caption is missing or empty, wrapping around; undefined when none. */
  nextUncaptioned(image: ImageEntry | undefined, isUncaptioned = defaultUncaptioned): ImageEntry | undefined {
    const order = this.images();
    const start = image && order[image.position] === image ? image.position : -1;
    for (let k = 1; k <= order.length; k++) {
      const candidate = order[(start + k) % order.length];
      if (candidate !== image && isUncaptioned(candidate)) return candidate;
    }
    return undefined;
  }

  setCaptionState(image: ImageEntry, state: CaptionState): void {
    image.captionState = state;
  }

  counts(): IndexCounts {
    let captioned = 0;
    let withCaptionFile = 0;
    let collisions = 0;
    for (const img of this.images()) {
      if (img.captionState !== 'none') withCaptionFile++;
      if (img.captionState === 'text' || img.captionState === 'unknown') captioned++;
      if (img.collision) collisions++;
    }
    return { images: this.order.length, captioned, withCaptionFile, collisions, folders: this.folders.size };
  }

  /**
   * Re-lists one folder after a change on disk: its images, caption files and subfolders
   * (new subfolders are walked). Returns the folder, or undefined when it is not in the dataset.
   */
  async refreshFolder(absPath: string, signal?: AbortSignal): Promise<FolderNode | undefined> {
    const folder = this.folderOfPath(absPath);
    if (!folder) return undefined;
    await this.populate([folder], signal);
    return folder;
  }

  /**
   * Walks the subtrees of `start` and only then puts what it found in place, in one synchronous
   * step: while a refresh runs, the index keeps showing the previous listing instead of a tree
   * whose subfolders are still empty.
   */
  private async populate(start: FolderNode[], signal?: AbortSignal): Promise<void> {
    this.boundary.forgetCheckedFolders();
    const rewalked = new Set<string>();
    for (const f of start) collectRelPaths(f, rewalked);
    /** Real folders claimed by this walk, and by folders outside the subtrees being walked again. */
    const claimed = new Map<string, string>();
    for (const [real, owner] of this.realFolders) if (!rewalked.has(owner) && this.folders.has(owner)) claimed.set(real, owner);
    const found = new Map<FolderNode, { real?: string; error?: string; listing?: FolderListing; subfolders: FolderNode[] }>();
    const queue = [...start];
    const running = new Set<Promise<void>>();
    const scanOne = async (folder: FolderNode): Promise<void> => {
      const real = await fs.realpath(folder.absPath).catch(() => undefined);
      if (real === undefined) return; // vanished, or a link that no longer leads anywhere
      const owner = claimed.get(real);
      if (owner !== undefined && owner !== folder.relPath) return; // seen through another path
      if (!this.boundary.contains(real)) {
        if (!this.options.followLinksOutside) {
          found.set(folder, { error: 'a link to a folder outside the dataset, not followed (the setting imageCaptioner.followLinksOutsideDataset allows it)', subfolders: [] });
          return;
        }
        this.boundary.admit(real);
      }
      claimed.set(real, folder.relPath);
      const listing = await scanFolder(folder.absPath, this.options.imageExtensions, this.boundary);
      listing.subfolders.sort(compareNames);
      const subfolders = this.options.recursive
        ? listing.subfolders.map((name) => newFolder(path.join(folder.absPath, name), joinRel(folder.relPath, name), name, folder))
        : [];
      found.set(folder, { real, listing, error: listing.error, subfolders });
      queue.push(...subfolders);
    };
    while (queue.length > 0 || running.size > 0) {
      if (signal?.aborted) throw new IndexCancelledError();
      while (queue.length > 0 && running.size < PARALLEL_SCANS) {
        const job = scanOne(queue.shift()!).finally(() => running.delete(job));
        running.add(job);
      }
      if (running.size > 0) await Promise.race(running);
    }
    if (signal?.aborted) throw new IndexCancelledError();
    for (const f of start) this.forgetSubtree(f, true);
    for (const f of start) if (!found.has(f)) found.set(f, { error: 'no longer exists', subfolders: [] });
    for (const [folder, result] of found) {
      folder.error = result.error;
      folder.realPath = result.real;
      folder.subfolders = result.subfolders;
      folder.images = result.listing ? this.makeImages(folder, result.listing.images, result.listing.otherFiles) : [];
      for (const image of folder.images) if (result.listing?.outsideImages.has(image.name)) this.outsideImages.add(image);
      if (result.real) this.realFolders.set(result.real, folder.relPath);
      this.folders.set(folder.relPath, folder);
    }
    // Folders that were links to an already visited real folder are dropped from their parents.
    for (const f of start) pruneUnvisited(f, this.folders);
    this.orderStale = true;
    for (const f of start) recountUpwards(f);
  }

  private makeImages(folder: FolderNode, names: string[], otherFiles: Set<string>): ImageEntry[] {
    names.sort(compareNames);
    const { captionExtension, secondCaptionExtension, caseInsensitiveStems } = this.options;
    const fold = (name: string): string => (caseInsensitiveStems ? name.toLowerCase() : name);
    // How many images claim each sidecar name: one file claimed twice would be shared (see claimedSidecarNames).
    const claims = new Map<string, number>();
    const claimed = names.map((name) => claimedSidecarNames(name, captionExtension, secondCaptionExtension).map(fold));
    for (const keys of claimed) for (const key of keys) claims.set(key, (claims.get(key) ?? 0) + 1);
    return names.map((name, i) => {
      const hasFile = otherFiles.has(sidecarName(name, captionExtension));
      const captionState: CaptionState = hasFile ? 'unknown' : 'none';
      return { folder, name, captionState, collision: claimed[i].some((key) => claims.get(key)! > 1), position: -1 };
    });
  }

  private forgetSubtree(folder: FolderNode, isStart = false): void {
    if (!isStart) {
      this.folders.delete(folder.relPath);
      if (folder.realPath && this.realFolders.get(folder.realPath) === folder.relPath) this.realFolders.delete(folder.realPath);
    }
    for (const sub of folder.subfolders) this.forgetSubtree(sub);
  }

  private ensureOrder(): void {
    if (!this.orderStale) return;
    const order: ImageEntry[] = [];
    const visit = (folder: FolderNode): void => {
      for (const sub of folder.subfolders) visit(sub);
      for (const img of folder.images) {
        img.position = order.length;
        order.push(img);
      }
    };
    visit(this.root);
    this.order = order;
    this.orderStale = false;
  }
}

function newFolder(absPath: string, relPath: string, name: string, parent: FolderNode | undefined): FolderNode {
  return { absPath, relPath, name, parent, subfolders: [], images: [], deepImageCount: 0 };
}

function joinName(folder: string, name: string): string {
  return folder.endsWith(path.sep) ? folder + name : folder + path.sep + name;
}

function joinRel(parent: string, name: string): string {
  return parent ? `${parent}/${name}` : name;
}

function collectRelPaths(folder: FolderNode, into: Set<string>): void {
  into.add(folder.relPath);
  for (const sub of folder.subfolders) collectRelPaths(sub, into);
}

function pruneUnvisited(folder: FolderNode, known: Map<string, FolderNode>): void {
  folder.subfolders = folder.subfolders.filter((sub) => known.get(sub.relPath) === sub);
  for (const sub of folder.subfolders) pruneUnvisited(sub, known);
}

function recountUpwards(folder: FolderNode): void {
  const count = (f: FolderNode): number => {
    f.deepImageCount = f.images.length + f.subfolders.reduce((sum, s) => sum + count(s), 0);
    return f.deepImageCount;
  };
  count(folder);
  for (let p = folder.parent; p; p = p.parent) {
    p.deepImageCount = p.images.length + p.subfolders.reduce((sum, s) => sum + s.deepImageCount, 0);
  }
}

function defaultUncaptioned(image: ImageEntry): boolean {
  return image.captionState === 'none' || image.captionState === 'empty';
}

/** The images of `folder` and of every folder below it, in dataset order. */
export function deepImages(folder: FolderNode): ImageEntry[] {
  const out: ImageEntry[] = [];
  const visit = (f: FolderNode): void => {
    for (const sub of f.subfolders) visit(sub);
    out.push(...f.images);
  };
  visit(folder);
  return out;
}
