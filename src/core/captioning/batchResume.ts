import { readCaption } from '../captions/captionStore';
import { executeBatch } from './batchJob';
import { BatchJournal, JournalState, hashText, isDone, readJournal } from './batchJournal';
import { removeOrphanTempFiles } from './orphanTempFiles';
import type { BatchItem, BatchRuntime, BatchSummary } from './batchTypes';
import type { BatchMode } from './captionMerge';

/**
 * Finishes a job from its journal: items recorded as done are not requested again, and a write
 * begun but never confirmed (killed between rename and journal line) counts as done when the
 * caption on disk is the text that write carried. Temp files a killed write left are removed.
 */
export async function resumeBatch(journalFile: string, runtime: BatchRuntime): Promise<BatchSummary> {
  const state = await readJournal(journalFile);
  const journal = await BatchJournal.openForAppend(journalFile);
  const alreadyDone = new Set<string>();
  try {
    await removeOrphanTempFiles(state.header.items.map((item) => item.captionPath));
    const byImage = new Map<string, BatchItem>(state.header.items.map((item) => [item.imagePath, item]));
    for (const item of state.header.items) {
      if (isDone(state.outcomes.get(item.imagePath))) alreadyDone.add(item.imagePath);
    }
    for (const [image, captionHash] of state.openIntents) {
      const item = byImage.get(image);
      if (!item || !(await captionOnDiskIs(item.captionPath, captionHash, runtime))) continue;
      await journal.record({ type: 'item', image, outcome: 'written', captionHash });
      alreadyDone.add(image);
    }
  } catch (err) {
    await journal.close();
    throw err;
  }
  const { header } = state;
  return executeBatch({ jobId: header.jobId, items: header.items, mode: header.mode, separator: header.separator, alreadyDone }, runtime, journal);
}

/** The items of a job whose last run failed them, and the mode the job was started with. */
export interface FailedSet {
  readonly mode: BatchMode;
  readonly separator?: string;
  readonly items: readonly BatchItem[];
}

/** The failed items of a job; undefined when its journal is gone (every item was done). */
export async function readFailedSet(journalFile: string): Promise<FailedSet | undefined> {
  const state = await readJournal(journalFile).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  return state && failedSetOf(state);
}

/**
 * Runs the failed items of a job again in the job's own mode, through the same checks as the
 * first run (an append appends to the caption on disk now; skip leaves a caption written since;
 * unsaved captions are left alone), recording into the job's journal so that Resume never asks
 * for them again. The job's other unfinished items stay for Resume.
 */
export async function retryFailed(journalFile: string, runtime: BatchRuntime): Promise<BatchSummary> {
  const state = await readJournal(journalFile);
  const { mode, separator, items } = failedSetOf(state);
  const unfinished = state.header.items.filter((item) => !isDone(state.outcomes.get(item.imagePath))).length;
  const journal = await BatchJournal.openForAppend(journalFile);
  return executeBatch({ jobId: state.header.jobId, items, mode, separator, alreadyDone: new Set(), leftForResume: unfinished - items.length }, runtime, journal);
}

function failedSetOf(state: JournalState): FailedSet {
  const { header, outcomes } = state;
  return { mode: header.mode, separator: header.separator, items: header.items.filter((item) => outcomes.get(item.imagePath)?.outcome === 'failed') };
}

/** An unreadable caption is not taken as done: the item runs again and its own read reports the error. */
async function captionOnDiskIs(captionPath: string, captionHash: string, runtime: BatchRuntime): Promise<boolean> {
  const caption = await readCaption(captionPath, runtime.boundary).catch(() => undefined);
  return caption !== undefined && hashText(caption.text) === captionHash;
}
