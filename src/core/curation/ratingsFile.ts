/**
 * The dataset's star ratings, `.image-captioner/ratings.json` inside the dataset: one image per line,
 * keys sorted, so two people's ratings merge in git line by line. Written only by a read-modify-write
 * that re-reads the file just before writing, so changes made on disk since (another window, a pull)
 * are kept; a file that cannot be parsed is never overwritten, and entries that are not ratings (a key
 * with '..', a value that is not 0-5 stars) are set aside with a message and written back as they were.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../captions/atomicWrite';
import type { DatasetBoundary } from '../files/datasetBoundary';
import { readRegularFile } from '../files/regularFile';

/** The folder inside a dataset where the extension keeps dataset-level files (hidden: the scan skips it). */
export const DATASET_META_FOLDER = '.image-captioner';
export const RATINGS_FILE_NAME = 'ratings.json';
export const RATINGS_VERSION = 1;
/** Stars run from 1 to 5; 0 means unrated and is not stored. */
export const MAX_STARS = 5;
/** 100,000 images at ~60 bytes a line is 6 MB: past this the file is not what this extension writes. */
export const MAX_RATINGS_BYTES = 32 * 1024 * 1024;

/** Dataset-relative POSIX path of an image -> its stars (1-5). */
export type Ratings = ReadonlyMap<string, number>;
/** What to change: path -> new stars; 0 removes the rating. */
export type RatingChanges = ReadonlyMap<string, number>;

/** The ratings file's path in the dataset at `root`. */
export function ratingsFilePath(root: string): string {
  return path.join(root, DATASET_META_FOLDER, RATINGS_FILE_NAME);
}

/** The ratings file exists but is not one this version can read: nothing was changed, the message says how to fix it. */
export class RatingsFileError extends Error {
  constructor(readonly file: string, readonly reason: string) {
    super(
      `${file} cannot be read as star ratings: ${reason}. It was left as it is and no rating was changed. ` +
        `Fix it (it must read {"version": 1, "ratings": {"folder/image.png": 1 to 5, ...}}) or delete it to start again.`,
    );
    this.name = 'RatingsFileError';
  }
}

/** Whether `stars` is a rating a user can give (0 clears one). */
export function isStars(stars: unknown): stars is number {
  return typeof stars === 'number' && Number.isInteger(stars) && stars >= 0 && stars <= MAX_STARS;
}

/** A key names an image inside the dataset: '/'-separated plain parts, nothing absolute, no '..'. */
export function ratingKeyProblem(key: string): string | undefined {
  if (key === '' || key.startsWith('/') || /^[A-Za-z]:/.test(key) || key.includes('\\')) return 'is not a dataset-relative path with "/" separators';
  if (key.split('/').some((part) => part === '' || part === '.' || part === '..')) return 'has an empty, "." or ".." part';
  return undefined;
}

/** What a ratings file holds: the ratings, and the entries that are not ratings (kept in the file, never used as paths). */
export interface RatingsFileContents {
  readonly ratings: Map<string, number>;
  /** Entries with a key outside the dataset or a value that is not 0-5 stars, as they were in the file. */
  readonly ignored: Map<string, unknown>;
  /** One line per ignored entry, for the message. */
  readonly problems: string[];
}

/**
 * Parses the file's text; throws RatingsFileError (naming `file`) for anything but a version 1
 * ratings file. A bad entry (`"../x.png": 5`, `"a.png": "5"`) does not spoil the rest: it is set aside.
 */
export function parseRatingsFile(text: string, file: string): RatingsFileContents {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    const conflict = /^(<{7}|={7}|>{7})( |$)/m.test(text) ? ' (it holds merge conflict markers: keep one line per image and remove the markers)' : '';
    throw new RatingsFileError(file, `it is not valid JSON${conflict}: ${(err as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new RatingsFileError(file, 'it is not a JSON object');
  const { version, ratings } = data as { version?: unknown; ratings?: unknown };
  if (typeof version === 'number' && version > RATINGS_VERSION) throw new RatingsFileError(file, `it is version ${version}, written by a newer version of Image Captioner`);
  if (version !== RATINGS_VERSION) throw new RatingsFileError(file, `its "version" is ${JSON.stringify(version)}, not ${RATINGS_VERSION}`);
  if (typeof ratings !== 'object' || ratings === null || Array.isArray(ratings)) throw new RatingsFileError(file, 'its "ratings" is not an object of image paths and stars');
  const result = new Map<string, number>();
  const ignored = new Map<string, unknown>();
  const problems: string[] = [];
  for (const [key, stars] of Object.entries(ratings)) {
    const keyProblem = ratingKeyProblem(key);
    const problem = keyProblem ? `the key ${JSON.stringify(key)} ${keyProblem}` : !isStars(stars) ? `the rating of ${JSON.stringify(key)} is ${JSON.stringify(stars)}, not a whole number from 0 to ${MAX_STARS}` : undefined;
    if (problem) {
      ignored.set(key, stars);
      problems.push(problem);
    } else if ((stars as number) > 0) result.set(key, stars as number);
  }
  return { ratings: result, ignored, problems };
}

/** The ratings of the file's text (bad entries left out); throws RatingsFileError for a file that is not a ratings file. */
export function parseRatings(text: string, file: string): Map<string, number> {
  return parseRatingsFile(text, file).ratings;
}

/** The message for a file with entries set aside: how many, the first few, and that they stay in the file. */
export function ignoredEntriesMessage(file: string, problems: readonly string[]): string {
  const shown = problems.slice(0, 3).join('; ');
  const more = problems.length > 3 ? `; and ${problems.length - 3} more` : '';
  return `${file}: ${problems.length} ${problems.length === 1 ? 'entry was' : 'entries were'} ignored (${shown}${more}). They are kept in the file as they are; fix or remove them there.`;
}

/** The file's text: keys in code-unit order (the same on every machine), one per line, a final newline; `kept` entries are written as they were read. */
export function formatRatings(ratings: Ratings, kept: ReadonlyMap<string, unknown> = new Map()): string {
  const values = new Map<string, string>();
  for (const [key, value] of kept) if (!ratings.has(key)) values.set(key, JSON.stringify(value) ?? 'null');
  for (const [key, stars] of ratings) if (stars > 0) values.set(key, String(stars));
  const keys = [...values.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const lines = keys.map((k) => `    ${JSON.stringify(k)}: ${values.get(k)}`);
  const body = lines.length > 0 ? `{\n${lines.join(',\n')}\n  }` : '{}';
  return `{\n  "version": ${RATINGS_VERSION},\n  "ratings": ${body}\n}\n`;
}

/** The ratings with `changes` applied (0 removes). */
export function withChanges(ratings: Ratings, changes: RatingChanges): Map<string, number> {
  const next = new Map(ratings);
  for (const [key, stars] of changes) {
    if (!isStars(stars)) throw new RangeError(`A rating must be a whole number from 0 to ${MAX_STARS}, not ${stars}.`);
    const problem = ratingKeyProblem(key);
    if (problem) throw new RangeError(`Cannot rate ${JSON.stringify(key)}: it ${problem}.`);
    if (stars === 0) next.delete(key);
    else next.set(key, stars);
  }
  return next;
}

/** Reads the dataset's ratings file (empty when there is none); bounded, through the boundary. Throws RatingsFileError. */
export async function readRatingsFile(root: string, boundary: DatasetBoundary): Promise<RatingsFileContents> {
  const file = ratingsFilePath(root);
  const bytes = await readRegularFile(file, MAX_RATINGS_BYTES, boundary).catch((err: NodeJS.ErrnoException) => {
    // A stranger's dataset may hold a file named .image-captioner: say what to do, not ENOTDIR.
    if (err.code === 'ENOTDIR') throw new Error(`${path.join(root, DATASET_META_FOLDER)} is a file, not a folder, so star ratings cannot be kept there; rename or remove it. Nothing was changed.`);
    throw err;
  });
  if (bytes === undefined) return { ratings: new Map(), ignored: new Map(), problems: [] };
  return parseRatingsFile(bytes.toString('utf8'), file);
}

/** Reads the dataset's ratings (an empty map when there is no file; bad entries left out). Throws RatingsFileError. */
export async function readRatings(root: string, boundary: DatasetBoundary): Promise<Map<string, number>> {
  return (await readRatingsFile(root, boundary)).ratings;
}

export interface RatingsUpdate {
  /** The ratings on disk after the update (including changes others made before it). */
  readonly ratings: Map<string, number>;
  /** What each changed key held on disk just before: the change set that undoes this one. */
  readonly previous: Map<string, number>;
}

/**
 * Re-reads the file, applies only the change set `change` returns for what is on disk now, and
 * writes atomically when anything changed. A file that cannot be parsed is left alone (RatingsFileError).
 */
export async function updateRatings(root: string, boundary: DatasetBoundary, change: (onDisk: Ratings) => RatingChanges): Promise<RatingsUpdate> {
  const { ratings: onDisk, ignored } = await readRatingsFile(root, boundary);
  const changes = change(onDisk);
  const previous = new Map<string, number>();
  for (const key of changes.keys()) previous.set(key, onDisk.get(key) ?? 0);
  const ratings = withChanges(onDisk, changes);
  if ([...changes].every(([key, stars]) => (onDisk.get(key) ?? 0) === stars)) return { ratings, previous };
  const file = ratingsFilePath(root);
  await boundary.checkFolderOf(file);
  await fs.mkdir(path.dirname(file), { recursive: true });
  // Entries set aside on reading are written back as they were (a change to the same key replaces one).
  const kept = new Map([...ignored].filter(([key]) => !changes.has(key)));
  await writeFileAtomic(file, Buffer.from(formatRatings(ratings, kept), 'utf8'), boundary);
  return { ratings, previous };
}
