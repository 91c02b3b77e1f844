import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseSelectedTags, readSelectedTags, MAX_SELECTED_TAGS_BYTES } from '../../../src/core/tagging/selectedTags';
import { DEFAULT_TAG_OPTIONS, mcutThreshold, selectTags, tagNames, writtenTag, type TagOptions } from '../../../src/core/tagging/tagSelection';
import { mergeTagsIntoCaption } from '../../../src/core/tagging/tagMerge';

const CSV = [
  'tag_id,name,category,count',
  '9999999,general,9,807366',
  '9999998,sensitive,9,3316022',
  '9999997,questionable,9,100',
  '9999996,explicit,9,100',
  '470575,1girl,0,4225150',
  '212816,solo,0,3515897',
  '13197,long_hair,0,2798419',
  '1,^_^,0,10',
  '2,:d,0,10',
  '3,hatsune_miku,4,10',
  '4,kirisame_marisa_(cosplay),4,10',
  '5,smile_(expression),0,10',
].join('\n');

const labels = parseSelectedTags(CSV).labels;
// general sensitive questionable explicit 1girl solo long_hair ^_^ :d miku marisa smile
const SCORES = [0.1, 0.7, 0.15, 0.05, 0.99, 0.9, 0.5, 0.4, 0.36, 0.86, 0.84, 0.2];
const opts = (o: Partial<TagOptions>): TagOptions => ({ ...DEFAULT_TAG_OPTIONS, ...o });

describe('WD tagger labels (selected_tags.csv)', () => {
  it('reads names and categories by header, and counts bad rows with their lines', () => {
    const parsed = parseSelectedTags('\uFEFFtag_id,name,category,count\r\n1,cat,0,5\r\n2,,0,5\r\n3,dog,7,1\r\n4,"a, b",4,1\r\n');
    assert.deepEqual(parsed.labels, [{ name: 'cat', category: 'general' }, undefined, undefined, { name: 'a, b', category: 'character' }]);
    assert.deepEqual(parsed.problems, [
      { line: 3, reason: 'no tag name' },
      { line: 4, reason: 'category "7" is none of 0 (general), 4 (character), 9 (rating)' },
    ]);
    assert.equal(labels.length, 12);
    assert.deepEqual(labels[9], { name: 'hatsune_miku', category: 'character' });
  });

  it('refuses a label file past its size limit and one with no category column', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ic-tags-'));
    try {
      const big = path.join(dir, 'selected_tags.csv');
      fs.writeFileSync(big, Buffer.alloc(MAX_SELECTED_TAGS_BYTES + 10, 0x61));
      await assert.rejects(readSelectedTags(big), /more than the 8\.0 MB allowed/);
      assert.throws(() => parseSelectedTags('name,count\ncat,1\n'), /no "category" column/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('WD tag selection', () => {
  it('keeps general tags at 0.35 and characters at 0.85 by default, sorted by score, underscores to spaces, parentheses escaped', () => {
    assert.deepEqual(tagNames(selectTags(SCORES, labels)), ['hatsune miku', '1girl', 'solo', 'long hair', '^_^', ':d']);
    const scored = selectTags(SCORES, labels);
    assert.deepEqual(scored.map((t) => [t.category, t.score]), [['character', 0.86], ['general', 0.99], ['general', 0.9], ['general', 0.5], ['general', 0.4], ['general', 0.36]]);
  });

  it('applies thresholds, rating, max tags, trigger word first and the exclude list', () => {
    const tags = selectTags(SCORES, labels, opts({ generalThreshold: 0.1, characterThreshold: 0.8, includeRating: true, maxTags: 4, triggerWord: 'mylora', exclude: ['solo', 'long_hair'] }));
    assert.deepEqual(tagNames(tags), ['mylora', 'sensitive', 'hatsune miku', 'kirisame marisa \\(cosplay\\)', '1girl', '^_^']);
    const plain = selectTags(SCORES, labels, opts({ generalThreshold: 0.1, underscoresToSpaces: false, escapeParentheses: false, exclude: ['*hair', 'smile (expression)'] }));
    assert.deepEqual(tagNames(plain), ['hatsune_miku', '1girl', 'solo', '^_^', ':d']);
    // a trigger word the model also found is written once, first
    assert.deepEqual(tagNames(selectTags(SCORES, labels, opts({ triggerWord: 'Solo' }))), ['Solo', 'hatsune miku', '1girl', 'long hair', '^_^', ':d']);
  });

  it('cuts at the largest gap per image with MCut', () => {
    assert.equal(mcutThreshold([0.9, 0.85, 0.3, 0.2]), 0.575);
    assert.equal(mcutThreshold([]), 1);
    // general scores 0.99 0.9 0.5 0.4 0.36 0.2: the largest drop is 0.9 → 0.5, cut at 0.7; characters 0.86 / 0.84: 0.85
    assert.deepEqual(tagNames(selectTags(SCORES, labels, opts({ mcut: true }))), ['hatsune miku', '1girl', 'solo']);
  });

  it('writes tags as kohya does: short tags and kaomoji keep underscores', () => {
    const o = { underscoresToSpaces: true, escapeParentheses: true };
    assert.equal(writtenTag('o_o', o), 'o_o');
    assert.equal(writtenTag('||_||', o), '||_||');
    assert.equal(writtenTag('(o)_(o)', o), '\\(o\\)_\\(o\\)');
    assert.equal(writtenTag('looking_at_viewer', o), 'looking at viewer');
  });
});

describe('merging tags into a caption', () => {
  it('new, prepend and append keep order and never duplicate (case-insensitively)', () => {
    const tags = ['1girl', 'solo', 'red hair'];
    assert.equal(mergeTagsIntoCaption('old, tags\n', tags, 'overwrite'), '1girl, solo, red hair\n');
    assert.equal(mergeTagsIntoCaption('', tags, 'skip'), '1girl, solo, red hair');
    assert.equal(mergeTagsIntoCaption('mylora, Solo, outdoors\n', tags, 'append'), 'mylora, Solo, outdoors, 1girl, red hair\n');
    assert.equal(mergeTagsIntoCaption('mylora, Solo, outdoors\n', tags, 'prepend'), '1girl, solo, red hair, mylora, outdoors\n');
    assert.equal(mergeTagsIntoCaption('A woman with red hair stands outside.', tags, 'append'), 'A woman with red hair stands outside., 1girl, solo, red hair');
    assert.equal(mergeTagsIntoCaption('A woman stands outside.\n', tags, 'prepend'), '1girl, solo, red hair, A woman stands outside.\n');
  });
});
