import * as assert from 'node:assert/strict';
import { tfidf } from '../../../src/core/analytics/tfidf';
import { toDense } from '../../../src/core/analytics/sparse';
import { tokenize } from '../../../src/core/analytics/tokenize';
import { ENGLISH_STOP_WORDS } from '../../../src/core/analytics/stopWords';
import { sklearnReference } from './sklearnReference';

const close = (actual: number, expected: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} ≠ ${expected}`);

describe('Analytics: tokenizer and TF-IDF', () => {
  it('splits on anything but Unicode letters and digits, lower-cases, and drops stop words and single characters', () => {
    assert.deepEqual(tokenize('A Red-Fox on the Café terrace, 2 dogs & 42 cats; naïve Ωmega 日本'),
      ['red', 'fox', 'café', 'terrace', 'dogs', '42', 'cats', 'naïve', 'ωmega', '日本']);
    assert.deepEqual(tokenize('the cat and a dog', { stopWords: new Set(['cat']) }), ['the', 'and', 'dog']);
    assert.deepEqual(tokenize('a bb ccc', { stopWords: new Set(), minLength: 3 }), ['ccc']);
    // A letter outside the BMP (two UTF-16 units) is one character.
    assert.deepEqual(tokenize('𝒜 𝒜𝒜', { stopWords: new Set() }), ['𝒜𝒜']);
  });

  it('is exact on a hand-checked corpus: 1 + ln tf, ln((1+n)/(1+df)) + 1, unit rows, sorted vocabulary', () => {
    const { matrix, vocabulary, idf } = tfidf(['cat dog', 'the cat cat', '']);
    assert.deepEqual(vocabulary, ['cat', 'dog']);
    close(idf[0], Math.log(4 / 3) + 1, 'idf cat');
    close(idf[1], Math.log(4 / 2) + 1, 'idf dog');
    const dense = toDense(matrix).data;
    const cat = Math.log(4 / 3) + 1;
    const dog = Math.log(2) + 1;
    const norm = Math.hypot(cat, dog);
    close(dense[0], cat / norm, 'row 0 cat');
    close(dense[1], dog / norm, 'row 0 dog');
    close(dense[2], 1, 'row 1 cat (alone, so 1 after scaling)');
    assert.equal(dense[3], 0);
    assert.deepEqual([...dense.subarray(4)], [0, 0], 'an empty text is a row of zeros');
    assert.deepEqual([...matrix.rowStart], [0, 2, 3, 3]);
  });

  it('keeps terms by document frequency: at least minDf documents, at most maxDf of them', () => {
    const texts = ['sky blue', 'sky red', 'sky green', 'red car'];
    assert.deepEqual(tfidf(texts, { minDf: 2 }).vocabulary, ['red', 'sky']);
    assert.deepEqual(tfidf(texts, { maxDf: 0.5 }).vocabulary, ['blue', 'car', 'green', 'red']);
    assert.throws(() => tfidf(texts, { maxDf: 2 }), /maxDf must be a proportion/);
  });

  it("agrees with scikit-learn's TfidfVectorizer(sublinear_tf=True) entry by entry", function () {
    this.timeout(60_000);
    const texts = [
      'A brown dog runs on the beach, the dog is wet',
      'Two cats sleep on a red sofa',
      'A red car parked beside the beach',
      'Brown cats and a brown dog play',
      'the the the',
      'Sunset over the sea, waves on the beach beach beach',
    ];
    const ours = tfidf(texts, { minDf: 1, maxDf: 0.9 });
    const theirs = sklearnReference<{ vocabulary: string[]; rows: number[][] }>(`
from sklearn.feature_extraction.text import TfidfVectorizer
v = TfidfVectorizer(sublinear_tf=True, stop_words=data['stop'], token_pattern=r'(?u)\\b[^\\W_]{2,}\\b', max_df=0.9)
m = v.fit_transform(data['texts']).toarray()
print(json.dumps({'vocabulary': list(v.get_feature_names_out()), 'rows': m.tolist()}))
`, { texts, stop: [...ENGLISH_STOP_WORDS] });
    assert.deepEqual(ours.vocabulary, theirs.vocabulary);
    const dense = toDense(ours.matrix).data;
    theirs.rows.forEach((row, i) => row.forEach((v, j) => close(dense[i * row.length + j], v, `(${i}, ${j})`)));
  });
});
