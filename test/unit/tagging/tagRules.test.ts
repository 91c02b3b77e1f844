import { strict as assert } from 'node:assert';
import { applyEdits } from '../../../src/core/lint/textEdits';
import { checkTagRules, planApplyTagRules, planTagRuleFix } from '../../../src/core/tagging/tagRuleCheck';
import { CompiledTagRules, tagRulesFromSetting, TagRules } from '../../../src/core/tagging/tagRules';
import { tagSpans } from '../../../src/core/tagging/tagSpans';

const rules = (r: Partial<TagRules>): CompiledTagRules => new CompiledTagRules({ alwaysFirst: [], order: [], required: {}, banned: [], ...r });

describe('tag rules', () => {
  it('locates tags by UTF-16 range, emoji and odd spacing included, and gives none for prose', () => {
    const text = ' 🐶 dog ,  red ball,,grass \n';
    assert.deepEqual(tagSpans(text)!.map((s) => [s.tag, text.slice(s.start, s.end)]), [['🐶 dog', '🐶 dog'], ['red ball', 'red ball'], ['grass', 'grass']]);
    assert.equal(tagSpans('A dog runs in a park.'), undefined);
  });

  it('reports banned tags (globs allowed) with a fix that removes the tag and one separator', () => {
    const r = rules({ banned: ['watermark', '*_background'] });
    const text = 'dog, Watermark, white_background\n';
    const problems = checkTagRules(text, r, '');
    assert.deepEqual(problems.map((p) => [p.kind, text.slice(p.start, p.end)]), [['banned-tag', 'Watermark'], ['banned-tag', 'white_background']]);
    assert.equal(applyEdits(text, problems[0].fix.edits), 'dog, white_background\n');
    assert.equal(applyEdits(text, problems[1].fix.edits), 'dog, Watermark\n');
  });

  it('reports required tags missing for the caption folder; a plain folder covers its subfolders, * all', () => {
    const r = rules({ required: { people: ['person'], '*': ['sks'], 'cats/*': ['cat'] }, alwaysFirst: ['sks'] });
    const text = 'dog, grass';
    assert.deepEqual(checkTagRules(text, r, 'people/alice').map((p) => p.message), [
      'Required tag "person" is missing (tag rules in folders matching "people").',
      'Required tag "sks" is missing (tag rules).',
    ]);
    assert.deepEqual(checkTagRules(text, r, 'peoplex').map((p) => p.kind), ['missing-required-tag']);
    const fixes = checkTagRules(text, r, 'people').map((p) => applyEdits(text, p.fix.edits));
    assert.deepEqual(fixes, ['dog, grass, person', 'sks, dog, grass']);
    assert.deepEqual(checkTagRules('sks, dog', r, 'cats/x').map((p) => p.message), ['Required tag "cat" is missing (tag rules in folders matching "cats/*").']);
    assert.deepEqual(checkTagRules('sks, dog', r, 'cats'), []);
  });

  it('reports tags a rule wants earlier, with one fix putting the list in rule order', () => {
    const r = rules({ alwaysFirst: ['sks', '1girl'], order: [['red hair', 'blue eyes']] });
    const text = 'blue eyes, smile, 1girl, red hair, sks';
    const problems = checkTagRules(text, r, '');
    assert.deepEqual(problems.map((p) => [p.kind, text.slice(p.start, p.end)]), [['tag-order', '1girl'], ['tag-order', 'red hair'], ['tag-order', 'sks']]);
    assert.match(problems[0].message, /"1girl" should come before "blue eyes" \(tag rules: it is an always-first tag\)/);
    assert.match(problems[1].message, /"red hair" should come before "blue eyes" \(tag rules: an order rule\)/);
    assert.equal(applyEdits(text, problems[0].fix.edits), 'sks, 1girl, red hair, blue eyes, smile');
    assert.deepEqual(checkTagRules('sks, 1girl, red hair, smile, blue eyes', r, ''), []);
  });

  it('a cycle of order rules does not hang and keeps the tags', () => {
    const r = rules({ order: [['a', 'b'], ['b', 'a']] });
    assert.deepEqual(r.ordered(['b', 'a', 'c'], (t) => t).sort(), ['a', 'b', 'c']);
  });

  it('Apply Tag Rules removes banned tags and reorders, leaves prose and conforming captions alone', () => {
    const r = rules({ alwaysFirst: ['sks'], banned: ['watermark'] });
    const plan = planApplyTagRules([
      { imagePath: '/d/a.png', captionPath: '/d/a.txt', text: 'dog, watermark, sks\n' },
      { imagePath: '/d/b.png', captionPath: '/d/b.txt', text: 'sks, dog' },
      { imagePath: '/d/c.png', captionPath: '/d/c.txt', text: 'A watermark on a dog.' },
    ], r);
    assert.deepEqual(plan.changes.map((c) => [c.captionPath, c.after]), [['/d/a.txt', 'sks, dog\n']]);
    assert.equal(plan.unchanged, 2);
  });

  it('one rule fix over captions: a banned tag goes wherever written (twice too), a required tag only where its folder requires it', () => {
    const r = rules({ alwaysFirst: ['ohwx'], banned: ['watermark'], required: { people: ['ohwx', 'person'] } });
    const sources = [
      { imagePath: '/d/people/a.png', captionPath: '/d/people/a.txt', text: 'dog, Watermark, grass, watermark\n' },
      { imagePath: '/d/people/b.png', captionPath: '/d/people/b.txt', text: 'person, dog' },
      { imagePath: '/d/other/c.png', captionPath: '/d/other/c.txt', text: 'cat' },
      { imagePath: '/d/people/d.png', captionPath: '/d/people/d.txt', text: 'A watermark on a dog.' },
      { imagePath: '/d/people/e.png', captionPath: '/d/people/e.txt', text: undefined },
    ];
    const folderOf = (s: { imagePath: string }): string => s.imagePath.split('/')[2];
    const banned = planTagRuleFix(sources, r, folderOf, { kind: 'banned-tag', tag: 'WATERMARK' });
    assert.equal(banned.operation, 'Remove banned tag "WATERMARK"');
    assert.deepEqual(banned.changes.map((c) => [c.captionPath, c.after]), [['/d/people/a.txt', 'dog, grass\n']]);
    assert.equal(banned.unchanged, 4);
    const required = planTagRuleFix(sources, r, folderOf, { kind: 'missing-required-tag', tag: 'ohwx' });
    assert.deepEqual(required.changes.map((c) => [c.captionPath, c.after]), [['/d/people/a.txt', 'ohwx, dog, Watermark, grass, watermark\n'], ['/d/people/b.txt', 'ohwx, person, dog']], 'always-first goes in front; the other folder and prose are left alone');
    assert.deepEqual(planTagRuleFix(sources, r, folderOf, { kind: 'missing-required-tag', tag: 'person' }).changes.map((c) => c.after), ['dog, Watermark, grass, watermark, person\n']);
  });

  it('reads the setting, naming what it ignores', () => {
    const { rules: read, problems } = tagRulesFromSetting({ alwaysFirst: ['sks', 'a, b', ' '], order: [['a', 'b'], ['c'], 'x'], required: { people: ['person'], bad: 'x' }, banned: 5 });
    assert.deepEqual(read, { alwaysFirst: ['sks'], order: [['a', 'b']], required: { people: ['person'], bad: [] }, banned: [] });
    assert.equal(problems.length, 5, problems.join('\n'));
    assert.deepEqual(tagRulesFromSetting('x').problems, ['imageCaptioner.tagRules should be an object; it is ignored.']);
    assert.ok(new CompiledTagRules(tagRulesFromSetting(undefined).rules).isEmpty);
  });
});
