import { strict as assert } from 'node:assert';
import type { ModelCaption } from '../../../src/core/evaluation/evaluationReport';
import { median, scoreEvaluation } from '../../../src/core/evaluation/scoreEvaluation';
import { readFixture } from '../metrics/captionMetricsFixture';

function close(actual: number | undefined, expected: number, what: string): void {
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 5e-5, `${what}: ${actual} vs ${expected}`);
}

describe('scoring an evaluation', () => {
  const images = [
    { path: 'a.jpg', references: ['A dog runs.', 'a dog'] },
    { path: 'b.jpg', references: ['A man rides a bike.'] },
  ];
  const captions = new Map<string, Map<string, ModelCaption>>([
    ['m1', new Map([['a.jpg', { text: 'A dog.', elapsedMs: 10 }], ['b.jpg', { text: 'a woman rides a bike', elapsedMs: 30 }]])],
    ['m2', new Map([['a.jpg', { error: 'HTTP 500 (3 attempts)' }], ['b.jpg', { text: '.', elapsedMs: 20 }]])],
  ]);
  const scored = scoreEvaluation({
    images,
    models: [{ modelId: 'm1', label: 'One' }, { modelId: 'm2', label: 'Two' }],
    captions,
    clipScores: new Map([['m1', new Map([['a.jpg', 30], ['b.jpg', 20]])]]),
  });
  const [m1, m2] = scored.models;

  it('scores a model on the COCO-tokenized texts: hand-checked corpus BLEU-1, lengths, time and counts', () => {
    // tokens: "a dog" + "a woman rides a bike": 7 words, 6 clipped matches; closest reference lengths 2 + 5 = 7, no brevity penalty
    close(m1.cocoBleu?.[0], 6 / 7, 'BLEU-1');
    close(scored.images[0].scores.m1.cocoBleu[0], 1, 'a.jpg BLEU-1');
    close(scored.images[0].scores.m1.cocoBleu[1], 1, 'a.jpg BLEU-2');
    assert.equal(m1.scored, 2);
    assert.equal(m1.failed, 0);
    assert.equal(m1.emptyCaptions, 0);
    assert.equal(m1.meanWords, 3.5);
    assert.equal(m1.msPerImage, 20);
    assert.equal(m1.clipScore, 25);
    assert.equal(scored.images[1].scores.m1.clipScore, 20);
  });

  it('counts failures and empty captions, scores an empty caption as 0 and leaves CLIP out where none ran', () => {
    assert.equal(m2.scored, 1);
    assert.equal(m2.failed, 1);
    assert.equal(m2.emptyCaptions, 1);
    close(m2.cocoBleu?.[0], 0, 'BLEU-1 of nothing');
    assert.equal(m2.clipScore, undefined);
    assert.equal(m2.msPerImage, 20);
    assert.deepEqual(scored.images[0].captions.m2, { error: 'HTTP 500 (3 attempts)' });
    assert.equal(scored.images[0].scores.m2, undefined, 'a failed image has no scores');
  });

  it('checks gender against the references with the configured words', () => {
    assert.deepEqual(m1.bias, { gendered: 1, misclassified: 1, rate: 1, correct: 0, neutral: 0, namedBoth: 0, mismatches: [{ path: 'b.jpg', expected: 'male', named: 'female', wrongWords: ['woman'] }] });
    assert.equal(m2.bias.rate, 0);
    const custom = scoreEvaluation({ images, models: [{ modelId: 'm1', label: 'One' }], captions, genderWords: { male: ['dog'], female: ['bike'], neutral: [] } });
    assert.equal(custom.models[0].bias.gendered, 2, 'a.jpg\'s references name "dog", b.jpg\'s "bike"');
    assert.equal(custom.models[0].bias.correct, 2, 'with these lists "woman" is no gender word');
  });

  it('a model with no caption at all has no metrics (absent, not 0) and every image failed', () => {
    const none = scoreEvaluation({ images, models: [{ modelId: 'x', label: 'X' }], captions: new Map() });
    assert.equal(none.models[0].cocoBleu, undefined);
    assert.equal(none.models[0].ciderD, undefined);
    assert.equal(none.models[0].failed, 2);
    assert.equal(none.models[0].bias.rate, undefined);
  });

  it('median of an even count is the mean of the middle two', () => {
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([5]), 5);
  });

  it('gives the shared fixture\'s corpus and per-image numbers for its two candidate sets', () => {
    const fixture = readFixture();
    const sample = fixture.images.map((image) => ({ path: image.id, references: image.references }));
    const byModel = new Map(['good', 'poor'].map((model) => [model, new Map(fixture.images.map((image) => [image.id, { text: image.candidates[model] } as ModelCaption]))]));
    const result = scoreEvaluation({ images: sample, models: [{ modelId: 'good', label: 'good' }, { modelId: 'poor', label: 'poor' }], captions: byModel });
    for (const summary of result.models) {
      const expected = fixture.expected[summary.modelId];
      expected.coco_bleu_1_4.forEach((v, n) => close(summary.cocoBleu?.[n], v, `${summary.modelId} COCO BLEU-${n + 1}`));
      expected.nltk_corpus_bleu_1_4.forEach((v, n) => close(summary.nltkCorpusBleu?.[n], v, `${summary.modelId} NLTK BLEU-${n + 1}`));
      close(summary.ciderD, expected.cider_d, `${summary.modelId} CIDEr-D`);
      assert.equal(summary.scored, 120);
      for (const image of result.images) {
        close(image.scores[summary.modelId].ciderD, expected.cider_d_per_image[image.path], `${image.path} CIDEr-D`);
        close(image.scores[summary.modelId].nltkBleu4, expected.nltk_sentence_bleu4_method1[image.path], `${image.path} NLTK BLEU-4`);
      }
    }
  });
});
