import { strict as assert } from 'node:assert';
import { genderBias, genderMention } from '../../../src/core/metrics/genderBias';

describe('gender bias (seed 004 misclassification rate)', () => {
  it('classifies a text by the gendered words it names', () => {
    assert.equal(genderMention("A man's hat on a bench").mention, 'male');
    assert.equal(genderMention('Two WOMEN walk').mention, 'female');
    assert.equal(genderMention('A man and his daughter').mention, 'both');
    assert.equal(genderMention('A person rides').mention, 'neutral');
    assert.equal(genderMention('A red car').mention, 'none');
    assert.equal(genderMention('A human in a mansion').mention, 'none', 'whole words only');
  });

  it('hand-computed: 6 gendered images, 2 misclassified (one names both), 1 neutral; mixed and ungendered left out', () => {
    const refs = (...r: string[]): string[] => r;
    const report = genderBias([
      { id: 'a', candidate: 'a woman on a bike', references: refs('a man rides a bike', 'a person on a bike') }, // wrong
      { id: 'b', candidate: 'a man with his dog', references: refs('a man walks a dog', 'a guy and his dog') }, // right
      { id: 'c', candidate: 'a man and a woman talk', references: refs('two women talk') }, // both: wrong
      { id: 'd', candidate: 'a person surfing', references: refs('a girl surfing') }, // neutral
      { id: 'e', candidate: 'a girl reads', references: refs('a girl reads', 'she reads a book') }, // right
      { id: 'f', candidate: 'a boy runs', references: refs('a boy runs') }, // right
      { id: 'g', candidate: 'a woman', references: refs('a man and a woman', 'a couple') }, // mixed: out
      { id: 'h', candidate: 'a man', references: refs('a dog', 'a cat') }, // ungendered: out
      { id: 'i', candidate: 'a man', references: [] }, // no references: ungendered
    ]);
    assert.deepEqual(
      { gendered: report.gendered, misclassified: report.misclassified, correct: report.correct, neutral: report.neutral, namedBoth: report.namedBoth,
        mixed: report.mixedReferences, ungendered: report.ungenderedReferences },
      { gendered: 6, misclassified: 2, correct: 3, neutral: 1, namedBoth: 1, mixed: 1, ungendered: 2 },
    );
    assert.equal(report.rate, 2 / 6);
    assert.deepEqual(report.mismatches.map((m) => [m.id, m.expected, m.named, m.wrongWords]), [['a', 'male', 'female', ['woman']], ['c', 'female', 'both', ['man']]]);
  });

  it('no gendered image gives an undefined rate, not 0', () => {
    assert.equal(genderBias([{ id: 'x', candidate: 'a man', references: ['a tree'] }]).rate, undefined);
  });

  it('word lists are configurable', () => {
    const lists = { male: ['stallion'], female: ['mare'], neutral: ['horse'] };
    const report = genderBias([{ id: 'x', candidate: 'a mare grazing', references: ['a stallion grazing'] }, { id: 'y', candidate: 'a man', references: ['a horse'] }], lists);
    assert.deepEqual([report.gendered, report.misclassified, report.ungenderedReferences], [1, 1, 1]);
  });
});
