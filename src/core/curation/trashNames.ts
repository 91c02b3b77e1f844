/**
 * The original names of images that got a new name on their way into the trash (`a (2).png`, since
 * the trash held an `a.png` already), kept in `<dataset>/.image-captioner/trash-names.json` so that
 * Restore from Trash gives the old name back in a later session too. A key is the dataset-relative
 * '/' path of the image in the trash, a value its original file name (the same folder outside the
 * trash: a name, never a path). It is a hint: an entry that is malformed is left out, a file that
 * cannot be read counts as none, and planRestore decides whether a name is still free.
 */
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { writeFileAtomic } from '../captions/atomicWrite';
import type { DatasetBoundary } from '../files/datasetBoundary';
import { readRegularFile } from '../files/regularFile';
import { stemOf } from '../dataset/imageFiles';
import { DATASET_META_FOLDER, ratingKeyProblem } from './ratingsFile';
import { TRASH_FOLDER } from './trashPlan';

export const TRASH_NAMES_FILE = 'trash-names.json';
const TRASH_NAMES_VERSION = 1;
/** Far more than any trash's renamed images need (about 100 bytes an entry). */
const MAX_TRASH_NAMES_BYTES = 16 * 1024 * 1024;

/** Trashed image (dataset-relative '/' path, under `_trash/`) -> its original file name. */
export type TrashNames = Map<string, string>;

export function trashNamesPath(root: string): string {
  return path.join(root, DATASET_META_FOLDER, TRASH_NAMES_FILE);
}

/** Whether `name` can be a file name of the folder it came from (no separator, not '.' or '..'). */
function isPlainName(name: unknown): name is string {
  return typeof name === 'string' && name !== '' && name !== '.' && name !== '..' && !/[/\\\0]/.test(name);
}

/**
 * Whether `trashName` is a name planTrash gives an image first named `original`: its stem (cut short
 * when long) with ` (n)`, then the same extension. An entry of another shape (stale, or a stranger's)
 * would turn an image into `notes.txt`, another image or its sidecar on restore.
 */
function isTrashNameOf(trashName: string, original: string): boolean {
  const stem = stemOf(original);
  const extension = original.slice(stem.length);
  if (!trashName.endsWith(extension)) return false;
  const numbered = / \(\d+\)$/.exec(trashName.slice(0, trashName.length - extension.length));
  const trashStem = numbered ? numbered.input.slice(0, numbered.index) : '';
  return trashStem !== '' && stem.startsWith(trashStem);
}

/** The entries of the file's text; malformed ones (a key outside `_trash/`, a value that is a path or not the key's name before the trash renamed it) are left out. */
export function parseTrashNames(text: string): TrashNames {
  const names: TrashNames = new Map();
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return names;
  }
  const entries = typeof data === 'object' && data !== null ? (data as { version?: unknown; names?: unknown }) : undefined;
  if (entries?.version !== TRASH_NAMES_VERSION || typeof entries.names !== 'object' || entries.names === null || Array.isArray(entries.names)) return names;
  for (const [key, name] of Object.entries(entries.names)) {
    if (ratingKeyProblem(key) === undefined && key.startsWith(`${TRASH_FOLDER}/`) && isPlainName(name) && isTrashNameOf(path.posix.basename(key), name)) names.set(key, name);
  }
  return names;
}

export function formatTrashNames(names: ReadonlyMap<string, string>): string {
  const sorted = [...names].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${JSON.stringify({ version: TRASH_NAMES_VERSION, names: Object.fromEntries(sorted) }, null, 2)}\n`;
}

/** The names kept for the dataset at `root`; none when the file is missing, unreadable or not ours. */
export async function readTrashNames(root: string, boundary: DatasetBoundary): Promise<TrashNames> {
  const bytes = await readRegularFile(trashNamesPath(root), MAX_TRASH_NAMES_BYTES, boundary).catch(() => undefined);
  return bytes === undefined ? new Map() : parseTrashNames(bytes.toString('utf8'));
}

/** Writes the names (atomically, inside the dataset); no names removes the file. */
export async function writeTrashNames(root: string, boundary: DatasetBoundary, names: ReadonlyMap<string, string>): Promise<void> {
  const file = trashNamesPath(root);
  await boundary.checkFolderOf(file);
  if (names.size === 0) {
    await fs.rm(file, { force: true });
    return;
  }
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, Buffer.from(formatTrashNames(names), 'utf8'), boundary);
}
