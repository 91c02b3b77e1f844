import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { runBatch } from '../../../src/core/captioning/batchJob';
import { resumeBatch, retryFailed } from '../../../src/core/captioning/batchResume';
import type { BatchItem, BatchRuntime } from '../../../src/core/captioning/batchTypes';
import type { BatchMode } from '../../../src/core/captioning/captionMerge';
import { mergeTagText } from '../../../src/core/tagging/tagMerge';
import { ProviderError } from '../../../src/providers/types';
import { TempDirs } from '../helpers/tempTree';
import { boundaryOf, bytesOf, makeItems } from './batchTestKit';

/** Captions already on disk, as a tagger's batch meets them. */
const CAPTIONS = ['1girl, solo, red hair\n', 'outdoors, Smile', undefined, 'A girl in a park.'];
/** The tagger's answer per image (by index). */
const TAGS = ['red hair, smile, 1girl', 'smile, sky', 'cat, sky', 'smile'];

/** A caption file's text ('' when there is none). */
const textOf = (file: string): string => bytesOf(file)?.toString('utf8') ?? '';

const indexOf = (item: BatchItem): number => Number(path.basename(item.imagePath).slice(3, 6));

describe('runBatch: the runtime merge hook (tag batches)', () => {
  const temp = new TempDirs();
  afterEach(() => temp.cleanup());

  async function tagRun(mode: BatchMode): Promise<{ items: BatchItem[]; texts: string[] }> {
    const items = await makeItems(await temp.make(), CAPTIONS.length, (i) => CAPTIONS[i]);
    const summary = await runBatch({ items, boundary: boundaryOf(items), mode, merge: mergeTagText, generate: async (item) => TAGS[indexOf(item)] });
    assert.equal(summary.failed, 0);
    return { items, texts: items.map((item) => textOf(item.captionPath)) };
  }

  it('prepend: the new tags first, the caption\'s other tags after them in their order, no duplicates (case-insensitive)', async () => {
    const { texts } = await tagRun('prepend');
    assert.deepEqual(texts, ['red hair, smile, 1girl, solo\n', 'smile, sky, outdoors', 'cat, sky', 'smile, A girl in a park.']);
  });

  it('append: the caption\'s tags in their order, then the new ones it lacks; a prose caption keeps its text', async () => {
    const { texts } = await tagRun('append');
    assert.deepEqual(texts, ['1girl, solo, red hair, smile\n', 'outdoors, Smile, sky', 'cat, sky', 'A girl in a park., smile']);
  });

  it('without a hook the engine joins texts as before (the default merge is untouched)', async () => {
    const items = await makeItems(await temp.make(), 1, () => '1girl, solo\n');
    await runBatch({ items, boundary: boundaryOf(items), mode: 'append', generate: async () => 'solo, smile' });
    assert.equal(textOf(items[0].captionPath), '1girl, solo, solo, smile\n');
  });

  for (const mode of ['prepend', 'append'] as const) {
    it(`${mode}: a cancelled job resumed from its journal merges its remaining images the same way, none asked twice`, async () => {
      const dir = await temp.make();
      const journalFolder = await temp.make();
      const items = await makeItems(dir, 8, (i) => `old${i}, shared\n`);
      const asked: number[] = [];
      const controller = new AbortController();
      const runtime = (signal?: AbortSignal): BatchRuntime => ({
        boundary: boundaryOf(items),
        concurrency: 1,
        signal,
        merge: mergeTagText,
        generate: async (item) => {
          const i = indexOf(item);
          asked.push(i);
          if (i === 3) controller.abort(); // the user cancels while the fourth image is tagged
          return `new${i}, SHARED`;
        },
      });
      const first = await runBatch({ ...runtime(controller.signal), items, mode, journal: { folder: journalFolder } });
      assert.ok(first.cancelled && first.journalFile && first.written === 3, `first run: ${first.written} written`);
      const second = await resumeBatch(first.journalFile, runtime());
      assert.equal(second.written, 5);
      assert.deepEqual([...asked].sort(), [0, 1, 2, 3, 3, 4, 5, 6, 7], 'each image asked once, the cancelled one again');
      items.forEach((item, i) => {
        const expected = mode === 'prepend' ? `new${i}, SHARED, old${i}\n` : `old${i}, shared, new${i}\n`;
        assert.equal(textOf(item.captionPath), expected, path.basename(item.captionPath));
      });
    });
  }

  it('retrying failed images of a tag job merges them with the hook too', async () => {
    const dir = await temp.make();
    const items = await makeItems(dir, 4, (i) => `old${i}, shared`);
    let failing = true;
    const runtime: BatchRuntime = {
      boundary: boundaryOf(items),
      merge: mergeTagText,
      retry: { maxAttempts: 1 },
      generate: async (item) => {
        const i = indexOf(item);
        if (failing && i % 2 === 1) throw new ProviderError('bad-request', `image ${i} unreadable`);
        return `shared, new${i}`;
      },
    };
    const first = await runBatch({ ...runtime, items, mode: 'append', journal: { folder: await temp.make() } });
    assert.equal(first.failed, 2);
    failing = false;
    const retried = await retryFailed(first.journalFile!, runtime);
    assert.equal(retried.written, 2);
    assert.deepEqual(items.map((item) => textOf(item.captionPath)), [0, 1, 2, 3].map((i) => `old${i}, shared, new${i}`));
  });
});
