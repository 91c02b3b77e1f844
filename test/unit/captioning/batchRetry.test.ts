import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runBatch } from '../../../src/core/captioning/batchJob';
import { hashText, listJournals, readJournal } from '../../../src/core/captioning/batchJournal';
import { readFailedSet, resumeBatch, retryFailed } from '../../../src/core/captioning/batchResume';
import type { BatchItem, BatchSummary } from '../../../src/core/captioning/batchTypes';
import type { BatchMode } from '../../../src/core/captioning/captionMerge';
import { ProviderError } from '../../../src/providers/types';
import { TempDirs } from '../helpers/tempTree';
import { boundaryOf, bytesOf, makeItems } from './batchTestKit';

/** A generate that records the images asked for and fails those `fail` picks (not retryable). */
function generator(asked: string[], fail: (item: BatchItem) => boolean = () => false) {
  return async (item: BatchItem): Promise<string> => {
    asked.push(item.imagePath);
    if (fail(item)) throw new ProviderError('bad-request', 'HTTP 400: image too large');
    return `new ${path.basename(item.imagePath)}`;
  };
}

describe('Retry Failed: the failed images run again in the mode their batch ran with', () => {
  const temp = new TempDirs();
  afterEach(() => temp.cleanup());

  /** Runs a journaled batch in `mode` in which `failing` fails; returns its summary. */
  async function batchWithFailure(mode: BatchMode, items: readonly BatchItem[], failing: BatchItem, extra: { isProtected?: (captionPath: string) => boolean } = {}): Promise<BatchSummary> {
    const summary = await runBatch({ items, boundary: boundaryOf(items), mode, concurrency: 1, journal: { folder: await temp.make('ic-storage-'), modelId: 'test/model' }, generate: generator([], (item) => item.imagePath === failing.imagePath), ...extra });
    assert.equal(summary.failed, 1);
    assert.ok(summary.journalFile, 'a batch with a failure keeps its journal');
    return summary;
  }

  it('append: appends to the caption as it is on disk now, asks only for the failed image, and finishes the job', async () => {
    const items = await makeItems(await temp.make(), 3, (i) => `old ${i}.`);
    const first = await batchWithFailure('append', items, items[1]);
    assert.equal(bytesOf(items[1].captionPath)!.toString(), 'old 1.', 'the failed image kept its caption');
    fs.writeFileSync(items[1].captionPath, 'Edited by hand meanwhile.\r\n');

    assert.deepEqual(await readFailedSet(first.journalFile!), { mode: 'append', separator: undefined, items: [items[1]] });
    const asked: string[] = [];
    const retried = await retryFailed(first.journalFile!, { boundary: boundaryOf(items), generate: generator(asked) });
    assert.deepEqual(asked, [items[1].imagePath]);
    assert.equal(retried.written, 1);
    assert.deepEqual(bytesOf(items[1].captionPath), Buffer.from('Edited by hand meanwhile. new img001.jpg\r\n'), 'appended to the text on disk now, in its CRLF');
    assert.equal(bytesOf(items[0].captionPath)!.toString(), 'old 0. new img000.jpg', 'written once, by the first run');
    assert.equal(retried.journalFile, undefined);
    assert.equal(fs.existsSync(first.journalFile!), false, 'the job is done: its journal is gone');
    assert.equal(await readFailedSet(first.journalFile!), undefined);
  });

  it('skip: leaves a caption that was written since the batch ran, without asking the model', async () => {
    const items = await makeItems(await temp.make(), 2);
    const first = await batchWithFailure('skip', items, items[0]);
    fs.writeFileSync(items[0].captionPath, 'Written by hand.\n');
    const asked: string[] = [];
    const retried = await retryFailed(first.journalFile!, { boundary: boundaryOf(items), generate: generator(asked) });
    assert.deepEqual(asked, []);
    assert.deepEqual(bytesOf(items[0].captionPath), Buffer.from('Written by hand.\n'));
    assert.deepEqual(retried.outcomes.map((o) => o.kind === 'skipped' && o.reason), ['had-caption']);
    assert.equal(fs.existsSync(first.journalFile!), false);
  });

  it('prepend and overwrite keep their mode too', async () => {
    for (const [mode, expected] of [['prepend', 'new img000.jpg, a, b'], ['overwrite', 'new img000.jpg']] as const) {
      const items = await makeItems(await temp.make(), 1, () => 'a, b');
      const first = await batchWithFailure(mode, items, items[0]);
      await retryFailed(first.journalFile!, { boundary: boundaryOf(items), generate: generator([]) });
      assert.equal(bytesOf(items[0].captionPath)!.toString(), expected, mode);
    }
  });

  it('a caption open with unsaved changes is still left alone, and stays for Resume', async () => {
    const items = await makeItems(await temp.make(), 2, (i) => `old ${i}.`);
    const first = await batchWithFailure('append', items, items[1]);
    const asked: string[] = [];
    const retried = await retryFailed(first.journalFile!, { boundary: boundaryOf(items), generate: generator(asked), isProtected: (captionPath) => captionPath === items[1].captionPath });
    assert.deepEqual(asked, []);
    assert.equal(bytesOf(items[1].captionPath)!.toString(), 'old 1.');
    assert.equal(retried.outcomes[0].kind === 'skipped' && retried.outcomes[0].reason, 'protected');
    assert.equal(retried.journalFile, first.journalFile, 'the job is not done');
  });

  it('leaves the job\'s other unfinished images to Resume, which then never asks again for the retried one', async () => {
    const items = await makeItems(await temp.make(), 3, (i) => `old ${i}.`);
    const dirty = new Set([items[2].captionPath]);
    const first = await batchWithFailure('append', items, items[1], { isProtected: (captionPath) => dirty.has(captionPath) });

    const retriedAsked: string[] = [];
    const retried = await retryFailed(first.journalFile!, { boundary: boundaryOf(items), generate: generator(retriedAsked), isProtected: (captionPath) => dirty.has(captionPath) });
    assert.deepEqual(retriedAsked, [items[1].imagePath], 'only the failed image, not the protected one');
    assert.equal(retried.pending, 1, 'the protected image is left for Resume');
    assert.equal(retried.journalFile, first.journalFile);
    const { jobs: [job] } = await listJournals(path.dirname(first.journalFile!));
    assert.deepEqual([job.done, job.failed, job.remaining], [2, 0, 1]);

    dirty.clear();
    const resumedAsked: string[] = [];
    await resumeBatch(first.journalFile!, { boundary: boundaryOf(items), generate: generator(resumedAsked) });
    assert.deepEqual(resumedAsked, [items[2].imagePath]);
    items.forEach((item, i) => assert.equal(bytesOf(item.captionPath)!.toString(), `old ${i}. new ${path.basename(item.imagePath)}`, 'each caption appended to exactly once'));
    assert.equal(fs.existsSync(first.journalFile!), false);
  });

  it('a retry that fails again keeps the image failed in the same journal', async () => {
    const items = await makeItems(await temp.make(), 2, (i) => `old ${i}.`);
    const first = await batchWithFailure('append', items, items[0]);
    const retried = await retryFailed(first.journalFile!, { boundary: boundaryOf(items), generate: generator([], () => true) });
    assert.equal(retried.failed, 1);
    assert.equal(retried.journalFile, first.journalFile);
    assert.deepEqual((await readFailedSet(first.journalFile!))?.items, [items[0]]);
    assert.equal(bytesOf(items[0].captionPath)!.toString(), 'old 0.');
  });
});

describe('resume: a caption that cannot be read is reported, not taken as missing', () => {
  const temp = new TempDirs();
  afterEach(() => temp.cleanup());

  it('a write begun before a kill whose caption is now not UTF-8 fails with the reason and leaves the bytes', async () => {
    const items = await makeItems(await temp.make(), 1);
    const [item] = items;
    const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]);
    fs.writeFileSync(item.captionPath, latin1);
    const file = path.join(await temp.make('ic-storage-'), 'job-1.batch.jsonl');
    const header = { type: 'header', version: 1, jobId: 'job-1', created: '2025-01-01T00:00:00.000Z', mode: 'append', items: [item] };
    fs.writeFileSync(file, [header, { type: 'writing', image: item.imagePath, captionHash: hashText('old. new') }].map((r) => `${JSON.stringify(r)}\n`).join(''));
    const asked: string[] = [];
    const resumed = await resumeBatch(file, { boundary: boundaryOf(items), generate: generator(asked) });
    assert.deepEqual(asked, []);
    const [outcome] = resumed.outcomes;
    assert.equal(outcome.kind, 'failed');
    assert.match(outcome.kind === 'failed' ? outcome.reason : '', /is not UTF-8 text/);
    assert.deepEqual(bytesOf(item.captionPath), latin1);
    assert.equal((await readJournal(file)).outcomes.get(item.imagePath)?.outcome, 'failed');
  });
});
