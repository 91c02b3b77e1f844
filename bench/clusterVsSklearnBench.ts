/**
 * `cluster-vs-sklearn`: 20,000 captions through TF-IDF → 50-d truncated SVD → k-means (k = 10, one init),
 * our time ÷ scikit-learn's on the same texts in the same run, each timed around its pipeline only.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { adjustedRand } from '../src/core/analytics/adjustedRand';
import { kmeans } from '../src/core/analytics/kmeans';
import { ENGLISH_STOP_WORDS } from '../src/core/analytics/stopWords';
import { tfidf } from '../src/core/analytics/tfidf';
import { truncatedSvd } from '../src/core/analytics/truncatedSvd';
import { findPython } from './findPython';
import { Benchmark, formatMs, note } from './measure';
import { syntheticCaptions } from './syntheticCaptions';

const CAPTIONS = 20_000;
const COMPONENTS = 50;
const K = 10;

// The same pipeline in scikit-learn: the same tokens (letters and digits, two or more), stop words and settings.
const SKLEARN = `
import json, sys, time
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.decomposition import TruncatedSVD
from sklearn.cluster import KMeans
data = json.load(open(sys.argv[1]))
texts = data['texts']
start = time.perf_counter()
x = TfidfVectorizer(sublinear_tf=True, stop_words=data['stop'], token_pattern=r'(?u)\\b[^\\W_]{2,}\\b').fit_transform(texts)
t1 = time.perf_counter()
e = TruncatedSVD(n_components=${COMPONENTS}, random_state=0).fit_transform(x)
t2 = time.perf_counter()
km = KMeans(n_clusters=${K}, n_init=1, random_state=0)
labels = km.fit_predict(e)
end = time.perf_counter()
print(json.dumps({'ms': (end - start) * 1000, 'tfidf': (t1 - start) * 1000, 'svd': (t2 - t1) * 1000, 'kmeans': (end - t2) * 1000, 'iterations': int(km.n_iter_), 'algorithm': km.algorithm, 'labels': labels.tolist()}))
`;

interface SklearnRun {
  readonly ms: number;
  readonly tfidf: number;
  readonly svd: number;
  readonly kmeans: number;
  readonly iterations: number;
  readonly algorithm: string;
  readonly labels: number[];
}

function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export const clusterVsSklearnBench: Benchmark = {
  name: 'cluster-vs-sklearn',
  async run() {
    const python = findPython(['numpy', 'sklearn'], 'python3-numpy python3-sklearn');
    const { texts, topics } = syntheticCaptions(CAPTIONS, 12);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'image-captioner-cluster-'));
    try {
      const file = path.join(dir, 'captions.json');
      writeFileSync(file, JSON.stringify({ texts, stop: [...ENGLISH_STOP_WORDS] }));
      const child = spawnSync(python, ['-c', SKLEARN, file], { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 300_000 });
      if (child.status !== 0) throw new Error(`scikit-learn pipeline failed (${child.status ?? child.signal}): ${child.stderr}`);
      const theirs = JSON.parse(child.stdout) as SklearnRun;

      const start = process.hrtime.bigint();
      const { matrix } = tfidf(texts);
      const afterTfidf = elapsedMs(start);
      const svd = truncatedSvd(matrix, { components: COMPONENTS, seed: 0 });
      const afterSvd = elapsedMs(start);
      const ours = kmeans(svd.embedding, { k: K, seed: 0, restarts: 1 });
      const ms = elapsedMs(start);
      // The generator's vocabulary is small enough for the exact SVD; the randomized one serves real vocabularies.
      const randomizedStart = process.hrtime.bigint();
      truncatedSvd(matrix, { components: COMPONENTS, seed: 0, method: 'randomized' });
      note(`randomized SVD (what vocabularies over 160 terms get) ${formatMs(elapsedMs(randomizedStart))}; vocabulary ${matrix.cols} terms, ${matrix.values.length} non-zeros`);

      const agreement = adjustedRand(ours.labels, theirs.labels);
      note(`ours ${formatMs(ms)} (tf-idf ${formatMs(afterTfidf)}, svd ${formatMs(afterSvd - afterTfidf)}, k-means ${formatMs(ms - afterSvd)}, ${ours.iterations} iterations)`);
      note(`scikit-learn ${formatMs(theirs.ms)} (tf-idf ${formatMs(theirs.tfidf)}, svd ${formatMs(theirs.svd)}, k-means ${formatMs(theirs.kmeans)}, ${theirs.iterations} iterations of ${theirs.algorithm})`);
      note(`ARI ours vs scikit-learn ${agreement.toFixed(3)}; vs the generator's topics: ours ${adjustedRand(ours.labels, topics).toFixed(3)}, scikit-learn ${adjustedRand(theirs.labels, topics).toFixed(3)}`);
      return { figure: ms / theirs.ms, unit: `x scikit-learn, ARI ${agreement.toFixed(3)}`, target: 1 };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
