import { strict as assert } from 'node:assert';
import { remainingRequests, resumePlan } from '../../../src/core/evaluation/resumePlan';
import { sampleReport } from './sampleReport';

describe('resuming a cancelled evaluation', () => {
  it('keeps each model\'s captions with their times and asks again for the failed and the never-sent images, in sample order', () => {
    const report = sampleReport({ cancelled: true });
    const plan = resumePlan(report);
    assert.deepEqual(plan.map((m) => [m.modelId, m.label, [...m.kept], m.remaining]), [
      ['a', 'Model A', [['a.jpg', { text: 'a dog', elapsedMs: 20 }], ['sub/b.png', { text: 'a man', elapsedMs: 20 }]], []],
      ['b', 'Model B', [['sub/b.png', { text: 'a man', elapsedMs: 30 }]], ['a.jpg']],
    ]);
    assert.equal(remainingRequests(report), 1);
  });

  it('a model that never ran owes every image; an empty caption counts as given', () => {
    const report = sampleReport({ cancelled: true });
    const images = report.images.map((image) => ({ ...image, captions: { a: { text: '' } }, scores: {} }));
    const plan = resumePlan({ ...report, images });
    assert.deepEqual(plan.map((m) => m.remaining), [[], ['a.jpg', 'sub/b.png']]);
    assert.deepEqual([...plan[0].kept.values()], [{ text: '' }, { text: '' }]);
  });
});
