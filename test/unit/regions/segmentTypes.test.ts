import { strict as assert } from 'node:assert';
import { MAX_SEGMENT_POINTS, segmentPromptProblem, type SegmentPrompt } from '../../../src/core/regions/segmentTypes';

const click = { x: 0.5, y: 0.5, positive: true };

describe('segment prompts', () => {
  it('takes positive points, a box, or both, with negative points beside them', () => {
    for (const ok of [
      { points: [click] },
      { points: [], box: [0, 0, 1, 1] },
      { points: [{ x: 0, y: 1, positive: false }], box: [0.1, 0.2, 0.3, 0.4] },
      { points: [click, { x: 1, y: 0, positive: false }] },
    ] as SegmentPrompt[]) {
      assert.equal(segmentPromptProblem(ok), undefined, JSON.stringify(ok));
    }
  });

  it('says what is wrong with one it cannot segment', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ points: [] }, /negative points alone select nothing/],
      [{ points: [{ ...click, positive: false }] }, /negative points alone select nothing/],
      [{ points: [{ ...click, x: -0.1 }] }, /point 1 is not inside the image/],
      [{ points: [click, { ...click, y: Number.NaN }] }, /point 2 is not inside the image/],
      [{ points: [{ x: 0.5, y: 0.5 }] }, /point 1 does not say whether it is positive or negative/],
      [{ points: Array.from({ length: MAX_SEGMENT_POINTS + 1 }, () => click) }, /at most 64 points \(it has 65\)/],
      [{ points: [], box: [0.1, 0.1, 0, 0.5] }, /the box has zero area/],
      [{ points: [], box: [0.6, 0.1, 0.5, 0.5] }, /the box reaches outside the image/],
      [{ points: [], box: [0.1, 0.1, 0.5] }, /the box is not \[x, y, w, h\] within 0\.\.1/],
      [{ points: 'here' }, /no list of points/],
      [undefined, /no list of points/],
    ];
    for (const [prompt, message] of cases) assert.match(segmentPromptProblem(prompt as SegmentPrompt) ?? '', message, JSON.stringify(prompt));
  });
});
