/** Writes one caption of a plan, but only while the file still holds what the plan was made from. */
import { promises as fs } from 'node:fs';
import { MAX_CAPTION_BYTES, writeCaption } from '../captions/captionStore';
import { decodeCaption } from '../captions/captionCodec';
import type { DatasetBoundary } from '../files/datasetBoundary';
import { readRegularFile } from '../files/regularFile';

/** What became of one planned file: written (with its bytes before, undefined when there was none), or a conflict left alone. */
export type PlannedCaptionOutcome = { readonly applied: true; readonly beforeBytes: Buffer | undefined } | { readonly applied: false };

/**
 * Checked again at write time: a caption changed (or made unreadable) on disk since planning is left
 * alone and reported as a conflict. One read gives both the text checked and the bytes returned for
 * undo, so they cannot differ. `after` undefined deletes the file (a link is removed, never its target).
 */
export async function applyPlannedCaption(
  captionPath: string,
  stillAsPlanned: (onDisk: string | undefined) => boolean,
  after: string | undefined,
  boundary: DatasetBoundary,
): Promise<PlannedCaptionOutcome> {
  const beforeBytes = await readRegularFile(captionPath, MAX_CAPTION_BYTES, boundary).catch(() => null);
  const decoded = beforeBytes ? decodeOrNull(beforeBytes, captionPath) : undefined;
  if (beforeBytes === null || decoded === null || !stillAsPlanned(decoded?.text)) return { applied: false };
  if (after === undefined) await removeCaption(captionPath, boundary);
  else await writeCaption(captionPath, after, boundary);
  return { applied: true, beforeBytes };
}

/** Deletes a caption file of the dataset (a link is removed itself, its target never touched). */
export async function removeCaption(captionPath: string, boundary: DatasetBoundary): Promise<void> {
  await boundary.checkFolderOf(captionPath);
  await fs.rm(captionPath, { force: true });
}

function decodeOrNull(bytes: Buffer, captionPath: string): { text: string } | null {
  try {
    return decodeCaption(bytes, captionPath);
  } catch {
    return null;
  }
}
