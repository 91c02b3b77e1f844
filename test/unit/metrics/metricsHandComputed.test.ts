import { strict as assert } from 'node:assert';
import { bleuStats } from '../../../src/core/metrics/bleuStats';
import { captionMetrics, ImageScores } from '../../../src/core/metrics/captionMetrics';
import { MetricInputError, ScoredItem } from '../../../src/core/metrics/metricTypes';
import { countItems } from '../../../src/core/metrics/ngramIndex';

const words = (text: string): string[] => (text === '' ? [] : text.split(' '));
const item = (candidate: string, ...references: string[]): ScoredItem => ({ id: candidate || '(empty)', candidate: words(candidate), references: references.map(words) });
const near = (actual: number, expected: number, what: string, tolerance = 1e-9): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual}, expected ${expected}`);
const only = (set: ScoredItem[]): ImageScores => captionMetrics(set).images[0];

describe('caption metrics on hand-computed cases', () => {
  it('clips a repeated word at the most any one reference has it (the "the the the" example)', () => {
    const set = [item('the the the the the the the', 'the cat is on the mat', 'there is a cat on the mat')];
    const [stats] = bleuStats(countItems(set));
    assert.deepEqual(stats.matches, [2, 0, 0, 0]);
    assert.deepEqual(stats.candidateNgrams, [7, 6, 5, 4]);
    const scores = captionMetrics(set);
    near(scores.cocoBleu[0], 2 / 7, 'COCO BLEU-1', 1e-9);
    near(scores.nltkCorpusBleu[0], 2 / 7, 'NLTK BLEU-1');
  });

  it('applies the brevity penalty exp(1 - r/c) to a candidate whose n-grams all match', () => {
    const set = [item('the cat is on', 'the cat is on the mat')];
    const scores = captionMetrics(set);
    for (let k = 0; k < 4; k++) {
      near(scores.cocoBleu[k], Math.exp(1 - 6 / 4), `COCO BLEU-${k + 1}`, 1e-8);
      near(scores.nltkCorpusBleu[k], Math.exp(1 - 6 / 4), `NLTK BLEU-${k + 1}`);
    }
    near(scores.images[0].nltkSentenceBleu4, Math.exp(-0.5), 'NLTK sentence BLEU-4');
  });

  it('a candidate shorter than every reference is measured against the closest length', () => {
    const set = [item('a dog', 'a dog runs fast', 'a dog runs on the grass')];
    const penalty = Math.exp(1 - 4 / 2);
    const scores = captionMetrics(set);
    near(scores.cocoBleu[1], penalty, 'COCO BLEU-2', 1e-8);
    // COCO: no trigram to count gives (0 + 1e-15) / (0 + 1e-9) = 1e-6 as the precision, not 0.
    near(scores.cocoBleu[2], penalty * 1e-6 ** (1 / 3), 'COCO BLEU-3', 1e-10);
    near(scores.cocoBleu[3], penalty * 1e-12 ** (1 / 4), 'COCO BLEU-4', 1e-10);
    // NLTK: a sentence counts one trigram it does not have, so the precision is 0 (smallest double) and BLEU-3 ~0.
    assert.ok(scores.nltkCorpusBleu[2] < 1e-100 && scores.nltkCorpusBleu[2] >= 0);
    // method1 turns each 0 match into 0.1 of one n-gram.
    near(scores.images[0].nltkSentenceBleu4, penalty * (1 * 1 * 0.1 * 0.1) ** 0.25, 'NLTK sentence BLEU-4');
  });

  it('a tie between two reference lengths goes to the shorter one (no penalty here)', () => {
    const set = [item('a dog', 'a', 'a dog runs')];
    const [stats] = bleuStats(countItems(set));
    assert.equal(stats.closestReferenceLength, 1);
    const scores = captionMetrics(set);
    near(scores.cocoBleu[0], 1, 'COCO BLEU-1', 1e-8);
    near(scores.nltkCorpusBleu[0], 1, 'NLTK BLEU-1');
  });

  it('one reference versus five: more references can only add matches and bring a closer length', () => {
    const one = captionMetrics([item('a man rides a horse', 'a man rides a brown horse')]);
    // Matches 5/5, 3/4, 2/3, 1/2; c = 5, r = 6.
    near(one.nltkCorpusBleu[3], Math.exp(1 - 6 / 5) * (1 * 0.75 * (2 / 3) * 0.5) ** 0.25, 'NLTK BLEU-4, one reference');
    near(one.cocoBleu[3], Math.exp(1 - 6 / 5) * (1 * 0.75 * (2 / 3) * 0.5) ** 0.25, 'COCO BLEU-4, one reference', 1e-8);
    const five = captionMetrics([item('a man rides a horse', 'a man rides a brown horse', 'a man rides a horse on the beach',
      'the man is riding a horse', 'a person on a horse', 'a man and a horse')]);
    near(five.nltkCorpusBleu[3], 1, 'NLTK BLEU-4, five references');
    near(five.cocoBleu[3], 1, 'COCO BLEU-4, five references', 1e-8);
    assert.ok(five.cocoBleu[3] < 1, 'COCO stays a hair under 1 (its epsilons)');
  });

  it('an empty candidate scores 0 in every convention, never NaN, and leaves the corpus finite', () => {
    const scores = captionMetrics([item('', 'a dog runs'), item('a cat sleeps', 'a cat sleeps'), item('a bird', 'a bird flies')]);
    const empty = scores.images[0];
    assert.deepEqual([...empty.cocoBleu], [0, 0, 0, 0]);
    assert.equal(empty.nltkSentenceBleu4, 0);
    assert.equal(empty.ciderD, 0);
    for (const value of [...scores.cocoBleu, ...scores.nltkCorpusBleu, scores.ciderD]) assert.ok(Number.isFinite(value), String(value));
  });

  it('a candidate with no matching n-gram: COCO gives tiny positive numbers (its epsilons), NLTK and CIDEr-D exactly 0', () => {
    const scores = only([item('zebra stripes', 'a dog runs'), item('a cat', 'a cat sleeps')]);
    near(scores.cocoBleu[0], Math.exp(1 - 3 / 2) * (1e-15 / 2), 'COCO BLEU-1', 1e-24);
    for (const value of scores.cocoBleu) assert.ok(value > 0 && value < 1e-9, String(value));
    assert.equal(scores.nltkSentenceBleu4, 0);
    assert.equal(scores.ciderD, 0);
    assert.deepEqual([...captionMetrics([item('zebra stripes', 'a dog runs')]).nltkCorpusBleu], [0, 0, 0, 0]);
  });

  it('CIDEr-D: a perfect two-word caption scores 5 in a set of two (orders 3 and 4 have no n-grams and count 0)', () => {
    const scores = captionMetrics([item('a b', 'a b'), item('c d', 'c d')]);
    near(scores.images[0].ciderD, 5, 'CIDEr-D of a perfect two-word caption');
    near(scores.ciderD, 5, 'corpus CIDEr-D');
  });

  it('CIDEr-D: n-grams every image has weigh nothing, and one image alone scores 0 (log 1)', () => {
    // "a" is in both images' references: idf log 2 - log 2 = 0, so only "b" and "a b" count.
    const scores = captionMetrics([item('a b', 'a b'), item('a c', 'a c')]);
    near(scores.images[0].ciderD, 5, 'CIDEr-D with a shared word');
    assert.equal(captionMetrics([item('a b c d', 'a b c d')]).ciderD, 0);
  });

  it('CIDEr-D: the length penalty uses bigram counts, exp(-delta^2 / 72)', () => {
    // Candidate "a b" (1 bigram) against reference "a b x y z" (4 bigrams): delta = -3.
    const set = [item('a b', 'a b x y z'), item('p q', 'p q')];
    const w = Math.log(2); // every n-gram is in one image of two
    const unigram = (2 * w * w) / (Math.sqrt(2) * w * Math.sqrt(5) * w);
    const bigram = (w * w) / (w * Math.sqrt(4) * w);
    const expected = (((unigram + bigram) / 4) * Math.exp(-9 / 72)) * 10;
    near(captionMetrics(set).images[0].ciderD, expected, 'CIDEr-D with a length penalty');
  });

  it('refuses an empty set and an image without references with an error that says what to do', () => {
    assert.throws(() => captionMetrics([]), (e: unknown) => e instanceof MetricInputError && /nothing to score/.test(e.message));
    assert.throws(() => captionMetrics([item('a dog')]), (e: unknown) => e instanceof MetricInputError && /no reference captions/.test(e.message));
  });
});
