/**
 * Where trashed images go: `<dataset>/_trash/<the same subfolders>/`, with their caption and every
 * other sidecar. Nothing there is ever overwritten: a name already taken gives all files of the
 * image one new stem (`a (2).png`, `a (2).txt`, ...).
 */
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { isWithin } from '../files/datasetBoundary';
import type { FileMove, PairMove } from '../embeddings/pairMoves';
import { stemOf } from '../dataset/imageFiles';
import { pathTaken } from '../files/pathTaken';

/** The dataset's trash folder (skipped by the dataset scan, so trashed images leave the view). */
export const TRASH_FOLDER = '_trash';

export interface ImageToTrash {
  readonly imagePath: string;
  /** Suffixes of the image's sidecars (`.txt`, `.regions.json`); absent ones are skipped when moving. */
  readonly sidecarSuffixes: readonly string[];
}

export interface TrashPlan {
  /** One move per image: the image first, then its sidecars (optional). */
  readonly moves: readonly PairMove[];
  readonly refused: ReadonlyArray<{ readonly imagePath: string; readonly reason: string }>;
}

/** Tells whether a path is taken (a file, folder or link, even a dangling one). */
export type PathTaken = (file: string) => Promise<boolean>;

/** A name gets ` (2)`, ` (3)`, ... before its extension; past this many, something is wrong. */
const MAX_CLASH_NUMBER = 10_000;
/** The longest file name, in UTF-8 bytes, that Linux and macOS file systems take (NAME_MAX). */
const MAX_NAME_BYTES = 255;

/** The moves that put each image and its sidecars into the trash under a stem free of every file there. */
export async function planTrash(images: readonly ImageToTrash[], root: string, taken: PathTaken = pathTaken): Promise<TrashPlan> {
  const trashRoot = path.join(root, TRASH_FOLDER);
  const claimed = new Set<string>();
  const sources = new Set<string>();
  const moves: PairMove[] = [];
  const refused: Array<{ imagePath: string; reason: string }> = [];
  const links = new Map<string, Promise<string | undefined>>();
  for (const image of images) {
    const imagePath = path.resolve(image.imagePath);
    if (!isWithin(root, imagePath) || imagePath === root) {
      refused.push({ imagePath, reason: 'it is not inside the dataset folder' });
      continue;
    }
    if (isWithin(trashRoot, imagePath)) {
      refused.push({ imagePath, reason: `it is already in ${TRASH_FOLDER}` });
      continue;
    }
    if (sources.has(imagePath)) continue;
    sources.add(imagePath);
    const folder = path.join(trashRoot, path.relative(root, path.dirname(imagePath)));
    const name = path.basename(imagePath);
    const stem = stemOf(name);
    const link = await linkOnTheWay(root, folder, links);
    if (link !== undefined) {
      refused.push({ imagePath, reason: `${link} is a link, not a folder, so trashed images would land where it points: make it a folder of its own to trash images` });
      continue;
    }
    // A sidecar name past the file system's limit cannot exist (a 255-byte image has no `.regions.json`).
    const sidecars = image.sidecarSuffixes
      .filter((suffix) => Buffer.byteLength(stem + suffix) <= MAX_NAME_BYTES)
      .map((suffix) => path.join(path.dirname(imagePath), stem + suffix))
      .filter((s) => !sources.has(s));
    let newStem: string | undefined;
    try {
      newStem = await freeStem(folder, stem, [name.slice(stem.length), ...image.sidecarSuffixes], claimed, taken);
    } catch (err) {
      // A stranger's `_trash` (or a folder in it) may be a file: say so instead of ENOTDIR.
      if ((err as NodeJS.ErrnoException).code !== 'ENOTDIR') throw err;
      refused.push({ imagePath, reason: `${TRASH_FOLDER} or a folder in it is a file, not a folder (${folder}): rename it to trash images` });
      continue;
    }
    if (newStem === undefined) {
      refused.push({ imagePath, reason: `no free name was found for it in ${folder}` });
      continue;
    }
    const files: FileMove[] = [{ from: imagePath, to: path.join(folder, newStem + name.slice(stem.length)), optional: false }];
    for (const sidecar of sidecars) {
      sources.add(sidecar);
      files.push({ from: sidecar, to: path.join(folder, newStem + sidecar.slice(path.dirname(imagePath).length + 1 + stem.length)), optional: true });
    }
    for (const file of files) claimed.add(file.to);
    moves.push({ imagePath, files });
  }
  return { moves, refused };
}

/** The first folder from `_trash` down to `folder` that is a link (a stranger's `_trash` may point into the dataset); undefined when none is. */
function linkOnTheWay(root: string, folder: string, known: Map<string, Promise<string | undefined>>): Promise<string | undefined> {
  const cached = known.get(folder);
  if (cached) return cached;
  const parent = path.dirname(folder);
  const found = (async (): Promise<string | undefined> => {
    const above = parent === root ? undefined : await linkOnTheWay(root, parent, known);
    if (above !== undefined) return above;
    const stat = await fs.lstat(folder).catch(() => undefined); // missing: it will be made a folder; a file: planTrash says so
    return stat?.isSymbolicLink() ? folder : undefined;
  })();
  known.set(folder, found);
  return found;
}

/**
 * The moves that put trashed images (paths inside the trash) and their sidecars back at the same
 * place outside it. An image renamed on its way into the trash (`a (2).png`, because the trash held
 * an `a.png`) goes back under its original name (`originalPath` knows it) when every file of it is
 * free there; otherwise it keeps the name it has in the trash, and movePairs refuses any image
 * whose place is taken.
 */
export async function planRestore(
  images: readonly ImageToTrash[],
  root: string,
  originalPath: (trashedImage: string) => string | undefined = () => undefined,
  taken: PathTaken = pathTaken,
): Promise<TrashPlan> {
  const trashRoot = path.join(root, TRASH_FOLDER);
  const moves: PairMove[] = [];
  const refused: Array<{ imagePath: string; reason: string }> = [];
  const seen = new Set<string>();
  const claimed = new Set<string>();
  for (const image of images) {
    const imagePath = path.resolve(image.imagePath);
    if (!isWithin(trashRoot, imagePath) || imagePath === trashRoot) {
      refused.push({ imagePath, reason: `it is not in ${TRASH_FOLDER}` });
      continue;
    }
    if (seen.has(imagePath)) continue;
    seen.add(imagePath);
    const back = (file: string): string => path.join(root, path.relative(trashRoot, file));
    const stem = stemOf(path.basename(imagePath));
    const sources: string[] = [imagePath];
    for (const suffix of image.sidecarSuffixes) {
      if (Buffer.byteLength(stem + suffix) > MAX_NAME_BYTES) continue; // cannot exist; lstat would fail with ENAMETOOLONG
      const sidecar = path.join(path.dirname(imagePath), stem + suffix);
      if (seen.has(sidecar)) continue;
      seen.add(sidecar);
      sources.push(sidecar);
    }
    const targets = await originalTargets(imagePath, stem, sources, back(imagePath), originalPath(imagePath), claimed, taken);
    const files: FileMove[] = sources.map((from, i) => ({ from, to: targets?.[i] ?? back(from), optional: i > 0 }));
    for (const file of files) claimed.add(file.to);
    moves.push({ imagePath, files });
  }
  return { moves, refused };
}

/** Where the files of a renamed trashed image go under its original stem: only when it is known, in the same folder, and every file that exists is free there. */
async function originalTargets(
  imagePath: string,
  stem: string,
  sources: readonly string[],
  backPath: string,
  original: string | undefined,
  claimed: ReadonlySet<string>,
  taken: PathTaken,
): Promise<string[] | undefined> {
  if (!original || path.dirname(path.resolve(original)) !== path.dirname(backPath) || path.resolve(original) === backPath) return undefined;
  const name = path.basename(imagePath);
  if (path.extname(original) !== name.slice(stem.length)) return undefined;
  const originalStem = stemOf(path.basename(original));
  const targets = sources.map((from) => path.join(path.dirname(backPath), originalStem + path.basename(from).slice(stem.length)));
  for (let i = 0; i < sources.length; i++) {
    if (claimed.has(targets[i])) return undefined;
    if ((i === 0 || (await taken(sources[i]))) && (await taken(targets[i]))) return undefined;
  }
  return targets;
}

/**
 * The first of `stem`, `stem (2)`, ... under which no file with any of `endings` exists or is planned.
 * Only endings whose name can exist with `stem` count (a 255-byte image name has no `.regions.json`),
 * and a numbered stem is cut short so those names still fit (a long name would fail with ENAMETOOLONG).
 */
async function freeStem(folder: string, stem: string, allEndings: readonly string[], claimed: ReadonlySet<string>, taken: PathTaken): Promise<string | undefined> {
  const endings = allEndings.filter((ending, i) => i === 0 || Buffer.byteLength(stem + ending) <= MAX_NAME_BYTES);
  const room = MAX_NAME_BYTES - Math.max(...endings.map((ending) => Buffer.byteLength(ending)));
  for (let n = 1; n <= MAX_CLASH_NUMBER; n++) {
    const candidate = n === 1 ? stem : `${cutToBytes(stem, room - Buffer.byteLength(` (${n})`))} (${n})`;
    const targets = endings.map((ending) => path.join(folder, candidate + ending));
    if (targets.some((t) => claimed.has(t))) continue;
    if (!(await anyTaken(targets, taken))) return candidate;
  }
  return undefined;
}

async function anyTaken(files: readonly string[], taken: PathTaken): Promise<boolean> {
  for (const file of files) if (await taken(file)) return true;
  return false;
}

/** `text` cut at a code point boundary to at most `bytes` UTF-8 bytes. */
function cutToBytes(text: string, bytes: number): string {
  if (Buffer.byteLength(text) <= bytes) return text;
  let out = '';
  let used = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char);
    if (used + size > bytes) break;
    out += char;
    used += size;
  }
  return out;
}
