import { readCaption } from '../captions/captionStore';
import { executeBatch } from './batchJob';
import { BatchJournal, hashText, isDone, readJournal } from './batchJournal';
import { removeOrphanTempFiles } from './orphanTempFiles';
import type { BatchItem, BatchRuntime, BatchSummary } from './batchTypes';

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

async function captionOnDiskIs(captionPath: string, captionHash: string, runtime: BatchRuntime): Promise<boolean> {
  const caption = await readCaption(captionPath, runtime.boundary).catch(() => undefined);
  return caption !== undefined && hashText(caption.text) === captionHash;
}
