import { promises as fs, Dirent } from 'node:fs';
import * as path from 'node:path';
import { isImageName } from './imageFiles';

/** What one directory listing tells the index: its images, its other files, its subfolders. */
export interface FolderListing {
  readonly images: string[];
  /** Names of non-image files, kept only to learn which images have a caption file. */
  readonly otherFiles: Set<string>;
  readonly subfolders: string[];
  /** Set when the folder could not be listed (permissions, vanished). */
  readonly error?: string;
}

const SKIPPED_FOLDERS = new Set(['node_modules', '__pycache__']);

export function isSkippedFolder(name: string): boolean {
  return name.startsWith('.') || SKIPPED_FOLDERS.has(name);
}

/** Lists one folder: symlinks are resolved with one stat each, so a link to a folder counts as a folder. */
export async function scanFolder(dir: string, extensions: ReadonlySet<string>): Promise<FolderListing> {
  let entries: Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    return { images: [], otherFiles: new Set(), subfolders: [], error: describeFsError(err) };
  }
  const images: string[] = [];
  const otherFiles = new Set<string>();
  const subfolders: string[] = [];
  for (const entry of entries) {
    const name = entry.name;
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await fs.stat(path.join(dir, name)).catch(() => undefined);
      if (!target) continue; // dangling link
      isDir = target.isDirectory();
      isFile = target.isFile();
    }
    if (isDir) {
      if (!isSkippedFolder(name)) subfolders.push(name);
    } else if (isFile) {
      if (isImageName(name, extensions)) images.push(name);
      else otherFiles.add(name);
    }
  }
  return { images, otherFiles, subfolders };
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
