import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runBatch } from '../../../src/core/captioning/batchJob';
import { hashText, listJournals, readJournal } from '../../../src/core/captioning/batchJournal';
import { resumeBatch } from '../../../src/core/captioning/batchResume';
import type { BatchItem } from '../../../src/core/captioning/batchTypes';
import { ProviderError } from '../../../src/providers/types';
import { TempDirs } from '../helpers/tempTree';
import { abortableSleep, boundaryOf, bytesOf, makeItems } from './batchTestKit';

/** A generate that records which images were asked for. */
function recordingGenerate(asked: string[], fail?: (item: BatchItem) => boolean) {
  return async (item: BatchItem, signal: AbortSignal): Promise<string> => {
    asked.push(item.imagePath);
    await abortableSleep(5, signal);
    if (fail?.(item)) throw new ProviderError('bad-request', 'HTTP 400: image too large');
    return `new ${path.basename(item.imagePath)}`;
  };
}

/** Writes a journal by hand, as a killed process would have left it. */
function writeJournal(file: string, items: readonly BatchItem[], records: readonly object[], tail = ''): void {
  const header = { type: 'header', version: 1, jobId: 'job-1', created: '2025-01-01T00:00:00.000Z', modelId: 'nim/test', mode: 'append', items };
  fs.writeFileSync(file, [header, ...records].map((r) => `${JSON.stringify(r)}\n`).join('') + tail);
}

describe('batch journal: resume without asking twice', () => {
  const temp = new TempDirs();
  afterEach(() => temp.cleanup());

  it('resume after cancel requests only the images not written, then deletes the journal', async () => {
    const dir = await temp.make();
    const storage = await temp.make('ic-storage-');
    const items = await makeItems(dir, 30, (i) => `old ${i}.`);
    const controller = new AbortController();
    const first: string[] = [];
    const cancelled = await runBatch({
      items,
      boundary: boundaryOf(items),
      mode: 'append',
      concurrency: 3,
      signal: controller.signal,
      journal: { folder: storage, modelId: 'nim/test', promptHash: hashText('Describe the image.'), context: { prompt: 'Describe the image.' } },
      onItem: (o) => o.kind === 'written' && first.length >= 10 && controller.abort(),
      generate: recordingGenerate(first),
    });
    assert.equal(cancelled.cancelled, true);
    const writtenFirst = cancelled.outcomes.filter((o) => o.kind === 'written').map((o) => o.item.imagePath);
    assert.ok(cancelled.journalFile && fs.existsSync(cancelled.journalFile));

    const { jobs: [listed] } = await listJournals(storage);
    assert.deepEqual({ jobId: listed.jobId, modelId: listed.modelId, mode: listed.mode, total: listed.total, done: listed.done, remaining: listed.remaining },
      { jobId: cancelled.jobId, modelId: 'nim/test', mode: 'append', total: 30, done: writtenFirst.length, remaining: 30 - writtenFirst.length });
    assert.deepEqual((await readJournal(listed.file)).header.context, { prompt: 'Describe the image.' });

    const second: string[] = [];
    const resumed = await resumeBatch(listed.file, { boundary: boundaryOf(items), concurrency: 3, generate: recordingGenerate(second) });
    assert.deepEqual(second.filter((p) => writtenFirst.includes(p)), []);
    assert.equal(resumed.written, 30 - writtenFirst.length);
    assert.equal(resumed.outcomes.filter((o) => o.kind === 'skipped' && o.reason === 'journal').length, writtenFirst.length);
    items.forEach((item, i) => assert.equal(fs.readFileSync(item.captionPath, 'utf8'), `old ${i}. new ${path.basename(item.imagePath)}`));
    assert.equal(resumed.journalFile, undefined);
    assert.deepEqual(fs.readdirSync(storage), []);
    assert.deepEqual(await listJournals(storage), { jobs: [], unreadable: [] });
  });

  it('keeps the journal when images failed, and a resume re-runs only those', async () => {
    const items = await makeItems(await temp.make(), 6);
    const storage = await temp.make('ic-storage-');
    const first: string[] = [];
    const summary = await runBatch({ items, boundary: boundaryOf(items), journal: { folder: storage }, generate: recordingGenerate(first, (item) => item.imagePath === items[4].imagePath) });
    assert.equal(summary.failed, 1);
    const { jobs: [listed] } = await listJournals(storage);
    assert.deepEqual([listed.done, listed.failed, listed.remaining], [5, 1, 1]);
    const second: string[] = [];
    const resumed = await resumeBatch(summary.journalFile!, { boundary: boundaryOf(items), generate: recordingGenerate(second) });
    assert.deepEqual(second, [items[4].imagePath]);
    assert.equal(resumed.journalFile, undefined);
    assert.deepEqual(await listJournals(storage), { jobs: [], unreadable: [] });
  });

  it('tolerates a torn last line and appends whole lines after it', async () => {
    const items = await makeItems(await temp.make(), 3, (i) => `old ${i}.`);
    const file = path.join(await temp.make('ic-storage-'), 'job-1.batch.jsonl');
    const done = `old 0. new ${path.basename(items[0].imagePath)}`;
    fs.writeFileSync(items[0].captionPath, done);
    writeJournal(file, items, [{ type: 'item', image: items[0].imagePath, outcome: 'written', captionHash: hashText(done) }], '{"type":"item","image":"/x');
    const state = await readJournal(file);
    assert.equal(state.corruptLines, 1);
    assert.equal(state.outcomes.size, 1);
    const asked: string[] = [];
    const resumed = await resumeBatch(file, { boundary: boundaryOf(items), generate: recordingGenerate(asked, (item) => item.imagePath === items[2].imagePath) });
    assert.deepEqual(asked.sort(), [items[1].imagePath, items[2].imagePath]);
    assert.equal(resumed.journalFile, file);
    const after = await readJournal(file);
    assert.equal(after.corruptLines, 0);
    assert.deepEqual(items.map((item) => after.outcomes.get(item.imagePath)?.outcome), ['written', 'written', 'failed']);
  });

  it('a write begun but not confirmed counts as done only when the caption on disk is what it carried', async () => {
    const items = await makeItems(await temp.make(), 2, (i) => `old ${i}.`);
    const file = path.join(await temp.make('ic-storage-'), 'job-1.batch.jsonl');
    const renamed = `old 0. new ${path.basename(items[0].imagePath)}`;
    fs.writeFileSync(items[0].captionPath, renamed); // killed after the rename, before the journal line
    const neverRenamed = `old 1. new ${path.basename(items[1].imagePath)}`; // killed before the rename
    writeJournal(file, items, [
      { type: 'writing', image: items[0].imagePath, captionHash: hashText(renamed) },
      { type: 'writing', image: items[1].imagePath, captionHash: hashText(neverRenamed) },
    ]);
    const asked: string[] = [];
    const resumed = await resumeBatch(file, { boundary: boundaryOf(items), generate: recordingGenerate(asked) });
    assert.deepEqual(asked, [items[1].imagePath]);
    assert.equal(resumed.written, 1);
    assert.equal(bytesOf(items[0].captionPath)!.toString(), renamed);
    assert.equal(bytesOf(items[1].captionPath)!.toString(), neverRenamed);
  });

  it('refuses a file that is not a journal, and the listing names it instead of leaving it out silently', async () => {
    const file = path.join(await temp.make('ic-storage-'), 'bad.batch.jsonl');
    fs.writeFileSync(file, '{"type":"item"}\n');
    await assert.rejects(readJournal(file), /not a batch journal header/);
    const { jobs, unreadable } = await listJournals(path.dirname(file));
    assert.deepEqual(jobs, []);
    assert.equal(unreadable.length, 1);
    assert.equal(unreadable[0].file, file);
    assert.match(unreadable[0].reason, /bad\.batch\.jsonl cannot be used: its first line is not a batch journal header/);
    assert.equal(fs.readFileSync(file, 'utf8'), '{"type":"item"}\n', 'left as it was');
  });

  it('a journal folder that cannot be listed is an error, not "no jobs"; a missing one is no jobs', async () => {
    const storage = await temp.make('ic-storage-');
    assert.deepEqual(await listJournals(path.join(storage, 'never-created')), { jobs: [], unreadable: [] });
    const notAFolder = path.join(storage, 'caption-jobs');
    fs.writeFileSync(notAFolder, 'a file where the folder should be');
    await assert.rejects(listJournals(notAFolder), /ENOTDIR/);
  });
});
