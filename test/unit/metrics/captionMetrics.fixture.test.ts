import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { captionMetrics, ciderD, cocoBleu, nltkCorpusBleu } from '../../../src/core/metrics/captionMetrics';
import { committedFixtureFolder, fixtureFolder, itemsFor, readFixture } from './captionMetricsFixture';

/** Equal to 4 decimals, as issue 13 asks: |a - b| < 5e-5. */
function close(actual: number, expected: number, what: string): void {
  assert.ok(Number.isFinite(actual), `${what}: ${actual} is not a finite number`);
  assert.ok(Math.abs(actual - expected) < 5e-5, `${what}: ${actual} vs ${expected}`);
}

describe('caption metrics against pycocoevalcap and NLTK (shared fixture)', () => {
  const { images, expected } = readFixture();

  it('reads a fixture of 120 images with 5 references and both candidate sets', () => {
    assert.equal(images.length, 120);
    assert.ok(images.every((i) => i.references.length === 5));
    assert.deepEqual(Object.keys(expected).sort(), ['good', 'poor']);
  });

  it('the committed copy is byte for byte the shared fixture (CI on a clean clone reads it)', function () {
    const { folder, shared } = fixtureFolder();
    if (!shared) this.skip();
    for (const file of ['captions.json', 'expected.json', 'README.md']) {
      assert.ok(fs.readFileSync(path.join(folder, file)).equals(fs.readFileSync(path.join(committedFixtureFolder(), file))), file);
    }
  });

  for (const model of ['good', 'poor']) {
    describe(`the ${model} candidates`, () => {
      const items = itemsFor(images, model);
      const scores = captionMetrics(items);
      const want = expected[model];

      it('corpus BLEU-1..4 equals pycocoevalcap Bleu(4)', () => {
        want.coco_bleu_1_4.forEach((v, k) => close(scores.cocoBleu[k], v, `BLEU-${k + 1}`));
        assert.deepEqual(cocoBleu(items), scores.cocoBleu);
      });

      it('per-image BLEU-1..4 equals pycocoevalcap Bleu(4) for all 120 images', () => {
        for (const image of scores.images) {
          want.coco_bleu_per_image_1_4[image.id].forEach((v, k) => close(image.cocoBleu[k], v, `${image.id} BLEU-${k + 1}`));
        }
      });

      it('corpus CIDEr-D equals pycocoevalcap Cider', () => {
        close(scores.ciderD, want.cider_d, 'CIDEr-D');
        assert.equal(ciderD(items), scores.ciderD);
      });

      it('per-image CIDEr-D equals pycocoevalcap Cider for all 120 images', () => {
        for (const image of scores.images) close(image.ciderD, want.cider_d_per_image[image.id], `${image.id} CIDEr-D`);
      });

      it('corpus BLEU-1..4 equals NLTK corpus_bleu with uniform weights', () => {
        want.nltk_corpus_bleu_1_4.forEach((v, k) => close(scores.nltkCorpusBleu[k], v, `NLTK BLEU-${k + 1}`));
        assert.deepEqual(nltkCorpusBleu(items), scores.nltkCorpusBleu);
      });

      it('per-image BLEU-4 equals NLTK sentence_bleu with method1 smoothing', () => {
        for (const image of scores.images) close(image.nltkSentenceBleu4, want.nltk_sentence_bleu4_method1[image.id], `${image.id} NLTK sentence BLEU-4`);
      });
    });
  }

  it('the poor set tells the two BLEU conventions apart (so matching one is not matching both)', () => {
    const want = expected.poor;
    assert.ok(Math.abs(want.coco_bleu_1_4[1] - want.nltk_corpus_bleu_1_4[1]) > 1e-3);
    const scores = captionMetrics(itemsFor(images, 'poor'));
    assert.ok(Math.abs(scores.cocoBleu[1] - want.nltk_corpus_bleu_1_4[1]) > 1e-3);
    assert.ok(Math.abs(scores.nltkCorpusBleu[1] - want.coco_bleu_1_4[1]) > 1e-3);
  });
});
