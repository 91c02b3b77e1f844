import { promises as fs, Dirent } from 'node:fs';
import * as path from 'node:path';
import type { DatasetBoundary } from '../files/datasetBoundary';
import { isImageName } from './imageFiles';
import { TRASH_FOLDER } from '../curation/trashPlan';

/** What one directory listing tells the index: its images, its other files, its subfolders. */
export interface FolderListing {
  readonly images: string[];
  /** Images that are links to a file outside the dataset: listed, but never read, sent or exported. */
  readonly outsideImages: ReadonlySet<string>;
  /**
   * Names of non-image entries that are not folders (files, and FIFOs, sockets or devices, which a
   * read then reports as unreadable), kept only to learn which images have a caption file.
   */
  readonly otherFiles: Set<string>;
  readonly subfolders: string[];
  /** Set when the folder could not be listed (permissions, vanished). */
  readonly error?: string;
}

/** The trash holds trashed images: they leave the dataset until restored. */
const SKIPPED_FOLDERS = new Set(['node_modules', '__pycache__', TRASH_FOLDER]);
const NONE: ReadonlySet<string> = new Set();

export function isSkippedFolder(name: string): boolean {
  return name.startsWith('.') || SKIPPED_FOLDERS.has(name);
}

/**
 * Lists one folder: a link is resolved (one stat, and one realpath to tell whether it leaves the
 * dataset), so a link to a folder counts as a folder. An image must be a regular file.
 */
export async function scanFolder(dir: string, extensions: ReadonlySet<string>, boundary: DatasetBoundary): Promise<FolderListing> {
  let entries: Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    return { images: [], outsideImages: NONE, otherFiles: new Set(), subfolders: [], error: describeFsError(err) };
  }
  const images: string[] = [];
  let outsideImages: Set<string> | undefined;
  const otherFiles = new Set<string>();
  const subfolders: string[] = [];
  for (const entry of entries) {
    const name = entry.name;
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    let outside = false;
    if (entry.isSymbolicLink()) {
      const full = path.join(dir, name);
      const target = await fs.stat(full).catch(() => undefined);
      if (!target) continue; // dangling link
      isDir = target.isDirectory();
      isFile = target.isFile();
      // Folder links are judged by the walk itself (it resolves every folder it enters).
      if (isFile) outside = !(await fs.realpath(full).then((real) => boundary.contains(real), () => false));
    }
    if (isDir) {
      if (!isSkippedFolder(name)) subfolders.push(name);
    } else if (isFile && isImageName(name, extensions)) {
      images.push(name);
      if (outside) (outsideImages ??= new Set()).add(name);
    } else if (!isImageName(name, extensions)) {
      otherFiles.add(name);
    }
  }
  return { images, outsideImages: outsideImages ?? NONE, otherFiles, subfolders };
}

export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'no longer exists';
    case 'ENOTDIR':
      return 'not a folder';
    default:
      return e?.message ?? String(err);
  }
}
