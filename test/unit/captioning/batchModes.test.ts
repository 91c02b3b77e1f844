import { strict as assert } from 'node:assert';
import { runBatch } from '../../../src/core/captioning/batchJob';
import type { BatchItem, ItemOutcome } from '../../../src/core/captioning/batchTypes';
import { TempDirs } from '../helpers/tempTree';
import { boundaryOf, bytesOf, makeItems } from './batchTestKit';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const crlfBom = (text: string): Buffer => Buffer.concat([BOM, Buffer.from(text.replace(/\n/g, '\r\n'), 'utf8')]);

describe('runBatch: modes and what is written', () => {
  const temp = new TempDirs();
  afterEach(() => temp.cleanup());

  /** Runs one batch over captions given as bytes, the model answering `generated` for every image. */
  async function runMode(mode: 'skip' | 'overwrite' | 'append' | 'prepend', captions: readonly (string | Buffer | undefined)[], generated: string, separator?: string): Promise<{ items: BatchItem[]; outcomes: readonly ItemOutcome[]; asked: number }> {
    const items = await makeItems(await temp.make(), captions.length, (i) => captions[i]);
    let asked = 0;
    const summary = await runBatch({ items, boundary: boundaryOf(items), mode, separator, generate: async () => (asked++, generated) });
    return { items, outcomes: summary.outcomes, asked };
  }

  it('skip: leaves images with a caption and captions the empty or missing ones', async () => {
    const { items, outcomes, asked } = await runMode('skip', ['A cat.\n', '', ' \n', undefined, crlfBom('Kept.\n')], 'A dog.');
    assert.equal(asked, 3);
    assert.deepEqual(bytesOf(items[0].captionPath), Buffer.from('A cat.\n'));
    assert.deepEqual(bytesOf(items[1].captionPath), Buffer.from('A dog.'));
    assert.deepEqual(bytesOf(items[2].captionPath), Buffer.from('A dog.\n'));
    assert.deepEqual(bytesOf(items[3].captionPath), Buffer.from('A dog.'));
    assert.deepEqual(bytesOf(items[4].captionPath), crlfBom('Kept.\n'));
    const skipped = outcomes.filter((o) => o.kind === 'skipped').map((o) => o.kind === 'skipped' && [o.item, o.reason]);
    assert.deepEqual(skipped, [[items[0], 'had-caption'], [items[4], 'had-caption']]);
  });

  it('overwrite: replaces the text and keeps BOM and CRLF', async () => {
    const { items } = await runMode('overwrite', [crlfBom('old caption\n'), 'old\n', undefined], 'A dog runs.');
    assert.deepEqual(bytesOf(items[0].captionPath), crlfBom('A dog runs.\n'));
    assert.deepEqual(bytesOf(items[1].captionPath), Buffer.from('A dog runs.\n'));
    assert.deepEqual(bytesOf(items[2].captionPath), Buffer.from('A dog runs.'));
  });

  it('append: sentences with a space, tag lists with a comma, in the file\'s BOM and CRLF', async () => {
    const sentences = await runMode('append', [crlfBom('A cat on a mat.\n'), crlfBom('line one\nline two\n'), 'A cat.  '], 'A dog runs.');
    assert.deepEqual(bytesOf(sentences.items[0].captionPath), crlfBom('A cat on a mat. A dog runs.\n'));
    assert.deepEqual(bytesOf(sentences.items[1].captionPath), crlfBom('line one\nline two A dog runs.\n'));
    assert.deepEqual(bytesOf(sentences.items[2].captionPath), Buffer.from('A cat. A dog runs.'));
    const tags = await runMode('append', [crlfBom('1girl, solo,\n'), 'outdoors'], 'smile, red hair');
    assert.deepEqual(bytesOf(tags.items[0].captionPath), crlfBom('1girl, solo, smile, red hair\n'));
    assert.deepEqual(bytesOf(tags.items[1].captionPath), Buffer.from('outdoors, smile, red hair'));
  });

  it('prepend: the new text first, with the given separator', async () => {
    const { items } = await runMode('prepend', [crlfBom('1girl, solo\n'), 'photo', undefined], 'masterpiece', ' | ');
    assert.deepEqual(bytesOf(items[0].captionPath), crlfBom('masterpiece | 1girl, solo\n'));
    assert.deepEqual(bytesOf(items[1].captionPath), Buffer.from('masterpiece | photo'));
    assert.deepEqual(bytesOf(items[2].captionPath), Buffer.from('masterpiece'));
  });

  it('fails a non-UTF-8 caption without asking the model and leaves its bytes alone', async () => {
    const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]);
    const { items, outcomes, asked } = await runMode('overwrite', [latin1, 'fine'], 'A dog.');
    assert.equal(asked, 1);
    assert.deepEqual(bytesOf(items[0].captionPath), latin1);
    const [failed] = outcomes.filter((o) => o.kind === 'failed');
    assert.match(failed.kind === 'failed' ? failed.reason : '', /not UTF-8/);
    assert.deepEqual(bytesOf(items[1].captionPath), Buffer.from('A dog.'));
  });

  it('two images sharing one caption file: the second fails and the file is appended to once', async () => {
    const [item] = await makeItems(await temp.make(), 1, () => 'A cat.');
    const twin: BatchItem = { imagePath: item.imagePath.replace(/\.jpg$/, '.png'), captionPath: item.captionPath };
    const summary = await runBatch({ items: [item, twin], boundary: boundaryOf([item, twin]), mode: 'append', generate: async () => 'A dog.' });
    assert.deepEqual(bytesOf(item.captionPath), Buffer.from('A cat. A dog.'));
    const failed = summary.outcomes.find((o) => o.kind === 'failed');
    assert.equal(failed?.item, twin);
    assert.match(failed?.kind === 'failed' ? failed.reason : '', /is also the caption of .*img000\.jpg: rename one of the images/);
  });
});
