import { strict as assert } from 'node:assert';
import { sharedTags } from '../../../src/core/tagging/sharedTags';
import { addTags, removeTags, reorderTags } from '../../../src/core/edits/tagEdits';
import { afters, sources } from '../edits/sources';

describe('shared tags of a selection', () => {
  it('gives the intersection in the common order and the other tags with counts, most frequent first', () => {
    const pane = sharedTags(['ohwx, 1girl, red hair, smile\n', 'ohwx, 1girl, smile, outdoors', 'ohwx, solo, 1girl, smile, red hair']);
    assert.deepEqual(pane.all, ['ohwx', '1girl', 'smile']);
    assert.deepEqual(pane.some, [
      { tag: 'red hair', count: 2 },
      { tag: 'outdoors', count: 1 },
      { tag: 'solo', count: 1 },
    ]);
    assert.equal(pane.selected, 3);
    assert.equal(pane.tagCaptions, 3);
    assert.equal(pane.prose, 0);
  });

  it('orders shared tags by where they usually stand, not by the first caption alone', () => {
    const pane = sharedTags(['b, a, c', 'a, b, c', 'a, c, b', 'a, b, c']);
    assert.deepEqual(pane.all, ['a', 'b', 'c']);
  });

  it('compares tags without regard to case, counts a repeated tag once, keeps the first spelling', () => {
    const pane = sharedTags(['Red Hair, smile, smile', 'red hair, SMILE', 'RED HAIR']);
    assert.deepEqual(pane.all, ['Red Hair']);
    assert.deepEqual(pane.some, [{ tag: 'smile', count: 2 }]);
  });

  it('treats missing and empty captions as empty tag lists (nothing is shared) and leaves prose out', () => {
    const withMissing = sharedTags(['a, b', undefined, '']);
    assert.deepEqual(withMissing.all, []);
    assert.deepEqual(withMissing.some, [{ tag: 'a', count: 1 }, { tag: 'b', count: 1 }]);
    const withProse = sharedTags(['a, b', 'A dog, running in a park.', 'b, a']);
    assert.deepEqual(withProse.all, ['a', 'b']);
    assert.equal(withProse.prose, 1);
    assert.equal(withProse.tagCaptions, 2);
    assert.deepEqual(sharedTags([]), { selected: 0, tagCaptions: 0, prose: 0, unreadable: 0, all: [], some: [] });
    assert.deepEqual(sharedTags(['A dog runs.']).all, [], 'no tag caption: nothing shared');
  });

  it('leaves a caption that could not be read (null: not UTF-8) out of the intersection, counted apart from prose', () => {
    const pane = sharedTags(['a, b', null, 'b, a, c', 'A dog, running in a park.']);
    assert.deepEqual(pane.all, ['a', 'b'], 'an unreadable caption is no empty tag list');
    assert.deepEqual(pane.some, [{ tag: 'c', count: 1 }]);
    assert.deepEqual({ selected: pane.selected, tagCaptions: pane.tagCaptions, prose: pane.prose, unreadable: pane.unreadable }, { selected: 4, tagCaptions: 2, prose: 1, unreadable: 1 });
    assert.deepEqual(sharedTags([null]), { selected: 1, tagCaptions: 0, prose: 0, unreadable: 1, all: [], some: [] });
  });

  it('keeps odd tags as data: markup, wildcards, brackets, unicode, stray commas and spaces', () => {
    const odd = '<img src=x onerror=alert(1)>';
    const pane = sharedTags([`${odd}, *_background, (masterpiece:1.2), 猫,  , ,score_9 `, `score_9,猫,(masterpiece:1.2),*_background,${odd}`]);
    assert.deepEqual([...pane.all].sort(), [odd, '*_background', '(masterpiece:1.2)', 'score_9', '猫'].sort());
    assert.deepEqual(pane.some, []);
  });
});

describe('tag edits the shared-tags pane adds', () => {
  it('inserts after a given tag, at the end where a caption lacks it, and not where the tag is present', () => {
    const input = sources({ a: 'ohwx, 1girl, smile\n', b: '1girl, smile', c: 'ohwx, Trigger', prose: 'A dog, running in a park.' });
    const plan = addTags(input, { tags: ['trigger'], position: 'after', after: 'OHWX' });
    assert.deepEqual(afters(plan), { a: 'ohwx, trigger, 1girl, smile\n', b: '1girl, smile, trigger' });
    assert.equal(plan.operation, 'Add tags "trigger" after "OHWX"');
    assert.throws(() => addTags(input, { tags: ['x'], position: 'after', after: ' ' }), /after/);
  });

  it('reorders the named tags within the places they held, leaving other tags where they are', () => {
    const input = sources({ a: 'x, smile, y, 1girl, z\n', b: '1girl, smile', c: 'smile, only', d: 'none, here' });
    const plan = reorderTags(input, { order: ['1girl', 'smile'] });
    assert.deepEqual(afters(plan), { a: 'x, 1girl, y, smile, z\n' });
    assert.throws(() => reorderTags(input, { order: ['one'] }), /two tags/);
  });

  it('removes a tag literally when asked: a "*" in a clicked tag is not a wildcard', () => {
    const input = sources({ a: '*_background, white_background, 1girl' });
    assert.deepEqual(afters(removeTags(input, { tags: ['*_background'], literal: true })), { a: 'white_background, 1girl' });
    assert.deepEqual(afters(removeTags(input, { tags: ['*_background'] })), { a: '1girl' });
  });
});
