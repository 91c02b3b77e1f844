/**
 * Moving image/caption pairs aside (e.g. low CLIP scores into `clip_failed/`) and back. A pair moves
 * whole or not at all; nothing is ever overwritten; the result is the exact plan to undo it.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DatasetBoundary, isWithin } from '../files/datasetBoundary';
import { relativeFolderProblem } from '../files/relativeFolder';
import { pathTaken } from '../files/pathTaken';

export interface FileMove {
  readonly from: string;
  readonly to: string;
  /** Caption and sidecars may be absent; the image itself must be there. */
  readonly optional: boolean;
}

/** The files of one image that travel together. */
export interface PairMove {
  readonly imagePath: string;
  readonly files: readonly FileMove[];
}

export interface PairToMove {
  readonly imagePath: string;
  readonly captionPath: string;
  /** Further files that belong to the image (`<stem>.regions.json`). */
  readonly sidecars?: readonly string[];
}

export interface MoveOutcome {
  /** The pairs moved, listing only the files that were actually there (the undo plan). */
  readonly moved: readonly PairMove[];
  /** Pairs left in place because a destination already exists. */
  readonly refused: ReadonlyArray<{ readonly pair: PairMove; readonly existing: readonly string[] }>;
  /** Pairs left in place because a move failed (missing image, permissions). */
  readonly failed: ReadonlyArray<{ readonly pair: PairMove; readonly error: string }>;
}

/**
 * Each file to `<root>/<folder>/<its path relative to root>`; a file shared by two pairs moves with
 * the first. `folder` must name a folder inside the dataset (plain names, no `..`, nothing absolute).
 */
export function planPairMoves(pairs: readonly PairToMove[], root: string, folder: string): PairMove[] {
  const problem = relativeFolderProblem(folder);
  if (problem) throw new Error(`The folder "${folder}" cannot receive moved pairs: ${problem}.`);
  const target = path.resolve(root, folder);
  const seen = new Set<string>();
  const destination = (file: string): string => {
    if (!isWithin(root, path.resolve(file))) throw new Error(`${file} is outside the dataset folder ${root}`);
    return path.join(target, path.relative(root, file));
  };
  const plan: PairMove[] = [];
  for (const pair of pairs) {
    const files: FileMove[] = [];
    for (const [file, optional] of [[pair.imagePath, false], [pair.captionPath, true], ...(pair.sidecars ?? []).map((s) => [s, true] as const)] as const) {
      if (seen.has(file)) continue;
      seen.add(file);
      files.push({ from: file, to: destination(file), optional });
    }
    if (files.length > 0) plan.push({ imagePath: pair.imagePath, files });
  }
  return plan;
}

/** The plan that puts moved pairs back where they were. */
export function reversePlan(moved: readonly PairMove[]): PairMove[] {
  return moved.map((pair) => ({
    imagePath: pair.files[0]?.to ?? pair.imagePath,
    files: pair.files.map((f) => ({ from: f.to, to: f.from, optional: f.optional })),
  }));
}

/** Moves each pair whole; every source and destination folder must really lie inside `boundary` (no link leads a file out). */
export async function movePairs(plan: readonly PairMove[], boundary: DatasetBoundary, signal?: AbortSignal): Promise<MoveOutcome> {
  const moved: PairMove[] = [];
  const refused: Array<{ pair: PairMove; existing: string[] }> = [];
  const failed: Array<{ pair: PairMove; error: string }> = [];
  for (const pair of plan) {
    if (signal?.aborted) break;
    const present: FileMove[] = [];
    const existing: string[] = [];
    let missing: string | undefined;
    for (const file of pair.files) {
      if (await pathTaken(file.to)) existing.push(file.to);
      if (await pathTaken(file.from)) present.push(file);
      else if (!file.optional) missing = file.from;
    }
    if (existing.length > 0) {
      refused.push({ pair, existing });
      continue;
    }
    if (missing) {
      failed.push({ pair, error: `${missing} is no longer there` });
      continue;
    }
    const done: FileMove[] = [];
    try {
      for (const file of present) {
        await boundary.checkFolderOf(file.from);
        await boundary.checkFolderOf(file.to);
        await moveWithoutOverwrite(file.from, file.to);
        done.push(file);
      }
      moved.push({ imagePath: pair.imagePath, files: done });
    } catch (err) {
      // Half a pair is worse than none: put back what already moved.
      for (const file of done.reverse()) await moveWithoutOverwrite(file.to, file.from).catch(() => undefined);
      failed.push({ pair, error: (err as Error).message });
    }
  }
  return { moved, refused, failed };
}

/**
 * A hard link fails if the target exists (no race); renaming is the fallback where links are not
 * possible, and for a symbolic link, which moves as the link itself (link(2) follows it on some systems).
 */
async function moveWithoutOverwrite(from: string, to: string): Promise<void> {
  await fs.mkdir(path.dirname(to), { recursive: true });
  if ((await fs.lstat(from)).isSymbolicLink()) {
    if (await pathTaken(to)) throw new Error(`${to} already exists`);
    await fs.rename(from, to);
    return;
  }
  try {
    await fs.link(from, to);
    await fs.unlink(from);
    return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new Error(`${to} already exists`);
    if (code !== 'EPERM' && code !== 'EXDEV' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err;
  }
  if (await pathTaken(to)) throw new Error(`${to} already exists`);
  await fs.rename(from, to);
}
