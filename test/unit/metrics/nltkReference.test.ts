import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { findPython } from '../../../bench/findPython';
import { seededRandom } from '../../../src/core/analytics/random';
import { captionMetrics } from '../../../src/core/metrics/captionMetrics';
import { ScoredItem } from '../../../src/core/metrics/metricTypes';

// NLTK's corpus_bleu for BLEU-1..4 and sentence_bleu (method1) per item, for each set given on stdin.
const NLTK = `
import json, sys, warnings
from nltk.translate.bleu_score import corpus_bleu, sentence_bleu, SmoothingFunction
warnings.simplefilter('ignore')
out = []
for items in json.load(sys.stdin):
    refs = [i['references'] for i in items]
    hyps = [i['candidate'] for i in items]
    out.append({'corpus': [corpus_bleu(refs, hyps, weights=tuple([1.0 / k] * k)) for k in range(1, 5)],
                'sentence': [sentence_bleu(i['references'], i['candidate'], smoothing_function=SmoothingFunction().method1) for i in items]})
print(json.dumps(out))
`;

/** Seeded sets with the edge cases: empty and one-word candidates, one to six references of 1 to 12 words. */
function edgeCaseSets(): ScoredItem[][] {
  const random = seededRandom(99);
  const vocabulary = 'a the dog cat man runs on grass red ball with of in'.split(' ');
  const sentence = (max: number, min = 0): string[] =>
    Array.from({ length: min + random.int(max - min + 1) }, () => vocabulary[random.int(vocabulary.length)]);
  return Array.from({ length: 40 }, () => Array.from({ length: 1 + random.int(30) }, (_, i) => ({
    id: `i${i}`,
    candidate: sentence(random.next() < 0.2 ? 1 : 8),
    references: Array.from({ length: 1 + random.int(6) }, () => sentence(12, 1)),
  })));
}

describe('NLTK convention against NLTK itself (python3-nltk)', () => {
  it('equals corpus_bleu (BLEU-1..4) and sentence_bleu with method1 on 40 random edge-case sets', function () {
    this.timeout(60_000);
    const sets = edgeCaseSets();
    assert.ok(sets.some((set) => set.some((item) => item.candidate.length === 0)), 'the sets include empty candidates');
    const python = findPython(['nltk'], 'python3-nltk');
    const run = spawnSync(python, ['-c', NLTK], { input: JSON.stringify(sets), encoding: 'utf8', timeout: 50_000 });
    if (run.status !== 0) throw new Error(`NLTK failed (${run.status ?? run.signal}): ${run.stderr}`);
    const expected = JSON.parse(run.stdout) as Array<{ corpus: number[]; sentence: number[] }>;
    const same = (actual: number, wanted: number, what: string): void =>
      assert.ok(Math.abs(actual - wanted) <= 1e-12 * Math.max(1, Math.abs(wanted)), `${what}: ${actual} vs NLTK ${wanted}`);
    let compared = 0;
    sets.forEach((set, s) => {
      const scores = captionMetrics(set);
      expected[s].corpus.forEach((v, k) => same(scores.nltkCorpusBleu[k], v, `set ${s} BLEU-${k + 1}`));
      expected[s].sentence.forEach((v, i) => same(scores.images[i].nltkSentenceBleu4, v, `set ${s} image ${i}`));
      compared += 4 + set.length;
    });
    assert.ok(compared > 400, `${compared} values compared`);
  });
});
