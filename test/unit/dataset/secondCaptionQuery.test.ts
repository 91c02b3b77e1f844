import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileQuery, describeQuery, parseQuery, QuerySyntaxError, queryNeedsCaptions, queryNeedsSecondCaptions } from '../../../src/core/dataset/query';
import type { QuerySubject } from '../../../src/core/dataset/query';
import { DatasetIndex } from '../../../src/core/dataset/datasetIndex';
import { SecondCaptionTexts } from '../../../src/core/dataset/secondCaptionTexts';
import { indexOptions, TempDirs } from '../helpers/tempTree';

const subject = (relPath: string, caption: string, secondCaption?: string): QuerySubject => ({ name: relPath, relPath, caption, hasCaptionFile: true, collision: false, secondCaption });
const dataset = [subject('a.png', 'a red car', '1girl, solo, Red Hair'), subject('b.png', 'red hair on a girl', 'car, street'), subject('c.png', 'nothing')];
const kept = (query: string): string[] => dataset.filter(compileQuery(parseQuery(query))).map((s) => s.relPath);

describe('filter language: the caption2 term (second captions)', () => {
  it('parses caption2:value and caption2:"quoted text" as a field of its own, and describes it back', () => {
    assert.deepEqual(parseQuery('caption2:solo').root, { kind: 'text', field: 'caption2', value: 'solo' });
    assert.deepEqual(parseQuery('Caption2:"red hair"').root, { kind: 'text', field: 'caption2', value: 'red hair' });
    for (const query of ['caption2:solo', 'caption2:"red hair" OR caption:car']) assert.equal(describeQuery(parseQuery(describeQuery(parseQuery(query)))), describeQuery(parseQuery(query)));
    assert.throws(() => parseQuery('caption3:x'), (err: unknown) => err instanceof QuerySyntaxError && /fields: caption, caption2, name, path, tag/.test(err.message));
  });

  it('matches a substring of the second caption only, case-insensitively; no second caption matches nothing', () => {
    assert.deepEqual(kept('caption2:"red hair"'), ['a.png']);
    assert.deepEqual(kept('caption:"red hair"'), ['b.png']);
    assert.deepEqual(kept('caption2:car'), ['b.png']);
    assert.deepEqual(kept('-caption2:car'), ['a.png', 'c.png']);
  });

  it('asks for second captions, not captions, to decide', () => {
    assert.equal(queryNeedsSecondCaptions(parseQuery('caption2:solo')), true);
    assert.equal(queryNeedsCaptions(parseQuery('caption2:solo')), false);
    assert.equal(queryNeedsSecondCaptions(parseQuery('name:a* OR NOT (caption2:x rating>3)')), true);
    assert.equal(queryNeedsSecondCaptions(parseQuery('caption:solo tag:x')), false);
  });

  describe('SecondCaptionTexts', () => {
    const temp = new TempDirs();
    after(() => temp.cleanup());

    it('reads second captions from disk once, and again after forget', async () => {
      const root = await temp.make('ic-second-');
      for (const name of ['a.png', 'b.png']) fs.writeFileSync(path.join(root, name), 'x');
      fs.writeFileSync(path.join(root, 'a.txt'), 'a prose caption');
      fs.writeFileSync(path.join(root, 'a.tags.txt'), '1girl, solo');
      const index = await DatasetIndex.build(root, indexOptions({ secondCaptionExtension: '.tags.txt' }));
      const texts = new SecondCaptionTexts(index);
      const [a, b] = index.images();
      assert.equal(texts.get(a), undefined);
      assert.deepEqual(await texts.load(index.images()), []);
      assert.equal(texts.get(a), '1girl, solo');
      assert.equal(texts.get(b), '');
      fs.writeFileSync(path.join(root, 'a.tags.txt'), 'changed');
      await texts.load([a]);
      assert.equal(texts.get(a), '1girl, solo', 'kept until forgotten');
      texts.forget(a);
      await texts.load([a]);
      assert.equal(texts.get(a), 'changed');
    });

    it('keeps no text read while its file changed (forgotten during the read): the next load reads the new one', async () => {
      const root = await temp.make('ic-second-race-');
      fs.writeFileSync(path.join(root, 'a.png'), 'x');
      fs.writeFileSync(path.join(root, 'b.png'), 'x');
      fs.writeFileSync(path.join(root, 'a.tags.txt'), 'old');
      fs.writeFileSync(path.join(root, 'b.tags.txt'), 'other');
      const index = await DatasetIndex.build(root, indexOptions({ secondCaptionExtension: '.tags.txt' }));
      const texts = new SecondCaptionTexts(index);
      const [a, b] = index.images();
      const reading = texts.load([a, b]);
      fs.writeFileSync(path.join(root, 'a.tags.txt'), 'new');
      texts.forget(a); // what the watcher does once the write is seen, before the read above ended
      await reading;
      assert.equal(texts.get(a), undefined, 'the text read may be the old one: not kept');
      assert.equal(texts.get(b), 'other', 'an image not forgotten keeps what was read');
      await texts.load([a]);
      assert.equal(texts.get(a), 'new');
    });

    it('says which second captions could not be read (not UTF-8): they count as none until their file changes', async () => {
      const root = await temp.make('ic-second-bad-');
      fs.writeFileSync(path.join(root, 'a.png'), 'x');
      fs.writeFileSync(path.join(root, 'a.tags.txt'), Buffer.from([0x66, 0xff, 0xfe, 0x20]));
      const index = await DatasetIndex.build(root, indexOptions({ secondCaptionExtension: '.tags.txt' }));
      const texts = new SecondCaptionTexts(index);
      const [a] = index.images();
      const failures = await texts.load([a]);
      assert.equal(failures.length, 1);
      assert.equal(texts.get(a), '');
      assert.equal(texts.unreadable(a), true);
      fs.writeFileSync(path.join(root, 'a.tags.txt'), 'fixed, tags');
      texts.forget(a);
      assert.equal(texts.unreadable(a), false);
      assert.deepEqual(await texts.load([a]), []);
      assert.equal(texts.get(a), 'fixed, tags');
      assert.equal(texts.unreadable(a), false);
    });
  });
});
