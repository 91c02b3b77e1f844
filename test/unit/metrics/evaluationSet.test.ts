import { strict as assert } from 'node:assert';
import { captionMetrics } from '../../../src/core/metrics/captionMetrics';
import { pairEvaluationSet } from '../../../src/core/metrics/evaluationSet';
import { MetricInputError } from '../../../src/core/metrics/metricTypes';

const split = (text: string): string[] => text.split(/\s+/).filter(Boolean);

describe('pairing an evaluation set (bad input counted, never a crash)', () => {
  it('pairs by id and counts references without a candidate, candidates without references, empty ones', () => {
    const references = new Map<string, string[]>([
      ['a.jpg', ['a dog runs', 'a brown dog']],
      ['b.jpg', ['a cat']],
      ['c.jpg', ['', '   ']],
      ['d.jpg', ['a bird flies', '']],
    ]);
    const candidates = new Map([['a.jpg', 'a dog'], ['c.jpg', 'something'], ['d.jpg', '  '], ['e.jpg', 'a horse']]);
    const set = pairEvaluationSet(candidates, references, split);
    assert.deepEqual(set.items.map((i) => i.id), ['a.jpg', 'd.jpg']);
    assert.deepEqual(set.items[0], { id: 'a.jpg', candidate: ['a', 'dog'], references: [['a', 'dog', 'runs'], ['a', 'brown', 'dog']] });
    assert.deepEqual(set.items[1].references, [['a', 'bird', 'flies']]);
    assert.deepEqual(set.missingCandidates, ['b.jpg']);
    assert.deepEqual(set.unreferencedCandidates, ['c.jpg', 'e.jpg']);
    assert.deepEqual(set.emptyCandidates, ['d.jpg']);
    assert.equal(set.emptyReferences, 3);
    const scores = captionMetrics(set.items);
    assert.equal(scores.images[1].ciderD, 0);
    assert.ok(Number.isFinite(scores.ciderD) && scores.ciderD > 0);
  });

  it('nothing in common gives an empty set with every input counted, and the metrics refuse it by name', () => {
    const set = pairEvaluationSet(new Map([['x', 'a dog']]), new Map([['y', ['a cat']]]), split);
    assert.deepEqual(set.items, []);
    assert.deepEqual(set.missingCandidates, ['y']);
    assert.deepEqual(set.unreferencedCandidates, ['x']);
    assert.throws(() => captionMetrics(set.items), MetricInputError);
  });
});
