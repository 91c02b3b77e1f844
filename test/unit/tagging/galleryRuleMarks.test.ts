import { strict as assert } from 'node:assert';
import { checkTagRules } from '../../../src/core/tagging/tagRuleCheck';
import { CompiledTagRules } from '../../../src/core/tagging/tagRules';
import { galleryProblems, marksInSlices, ruleFixesOf, ruleNote, selectionRuleMarks } from '../../../src/webviews/galleryRuleMarks';

describe('gallery tag-rule marks', () => {
  const rules = new CompiledTagRules({ alwaysFirst: ['ohwx'], order: [['a', 'b']], required: { '': ['ohwx', 'solo'] }, banned: ['nsfw', '*_background'] });
  const marks = (text: string) => galleryProblems(checkTagRules(text, rules, ''));

  it('a card notes banned and missing required tags, one line each, and not order (the editor and Problems show that)', () => {
    assert.equal(marks('ohwx, solo, b, a'), undefined);
    assert.equal(ruleNote(marks('ohwx, solo, b, a')), '');
    assert.equal(ruleNote(marks('solo, NSFW, ohwx')), '"NSFW" is a banned tag (tag rules).');
    assert.equal(ruleNote(marks('solo, NSFW')), '"NSFW" is a banned tag (tag rules).\nRequired tag "ohwx" is missing (tag rules).');
    assert.deepEqual(marks('solo, NSFW')!.map((p) => [p.kind, p.tag]), [['banned-tag', 'NSFW'], ['missing-required-tag', 'ohwx']]);
    assert.equal(marks('A dog in a park.'), undefined, 'prose is not checked');
  });

  it('a card\'s badge offers one fix per banned or missing tag, a banned tag written twice once', () => {
    assert.deepEqual(ruleFixesOf(marks('solo, nsfw, NSFW, white_background')!), [
      { kind: 'banned-tag', tag: 'nsfw' },
      { kind: 'banned-tag', tag: 'white_background' },
      { kind: 'missing-required-tag', tag: 'ohwx' },
    ]);
  });

  it('the selection counts each caption once per tag, whatever its case, most frequent first', () => {
    const selection = ['ohwx, solo, nsfw, NSFW', 'solo, white_background', 'nsfw, ohwx', 'ohwx, solo'].map(marks);
    assert.deepEqual(selectionRuleMarks(selection), {
      banned: [{ tag: 'nsfw', count: 2 }, { tag: 'white_background', count: 1 }],
      missing: [{ tag: 'ohwx', count: 1 }, { tag: 'solo', count: 1 }],
    });
    assert.deepEqual(selectionRuleMarks([]), { banned: [], missing: [] });
  });

  it('checks a long list in slices (other work runs between them) into a dense array', async () => {
    let ranBetween = false;
    setImmediate(() => (ranBetween = true));
    const spin = (ms: number): void => {
      const until = Date.now() + ms;
      while (Date.now() < until);
    };
    let sawOtherWork = false;
    const out = await marksInSlices(2_048, (i) => {
      if (i % 256 === 0) spin(6);
      if (ranBetween && i < 2_047) sawOtherWork = true;
      return i === 5 ? marks('nsfw, ohwx, solo') : undefined;
    }, 4);
    assert.ok(sawOtherWork, 'a callback queued before ran while the checks went on');
    assert.equal(out.length, 2_048);
    assert.equal(Object.keys(out).length, 2_048, 'no holes: map() visits every item');
    assert.deepEqual(out.map(ruleNote).filter((n) => n !== ''), ['"nsfw" is a banned tag (tag rules).']);
  });
});
