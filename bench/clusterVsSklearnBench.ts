/**
 * `cluster-vs-sklearn`: 20,000 captions through TF-IDF → 50-d truncated SVD → k-means (k = 10, one init),
 * our time ÷ scikit-learn's on the same texts in the same run, each timed around its pipeline only. Both
 * sides do the same work: randomized SVD with 5 LU-normalised power iterations and 10 extra directions,
 * one greedy k-means++ init, tolerance 1e-4 × the mean variance, at most 300 rounds (theirs: Lloyd,
 * ours: Lloyd with Elkan's bounds, the same clustering).
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
/** Seeds over which the quality of a single init is summarised (untimed). */
const SEEDS = 10;

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
# Untimed: scikit-learn's own Elkan on the same embedding, and the quality of one init over ten seeds.
elkan_start = time.perf_counter()
KMeans(n_clusters=${K}, n_init=1, random_state=0, algorithm='elkan').fit(e)
elkan_ms = (time.perf_counter() - elkan_start) * 1000
from sklearn.metrics import adjusted_rand_score
seeds = [KMeans(n_clusters=${K}, n_init=1, random_state=s).fit(e) for s in range(${SEEDS})]
print(json.dumps({'elkan': elkan_ms, 'seedAri': [adjusted_rand_score(data['topics'], m.labels_) for m in seeds], 'seedInertia': [float(m.inertia_) for m in seeds], 'ms': (end - start) * 1000, 'tfidf': (t1 - start) * 1000, 'svd': (t2 - t1) * 1000, 'kmeans': (end - t2) * 1000, 'iterations': int(km.n_iter_), 'algorithm': km.algorithm, 'labels': labels.tolist()}))
`;

interface SklearnRun {
  readonly ms: number;
  readonly tfidf: number;
  readonly svd: number;
  readonly kmeans: number;
  readonly iterations: number;
  readonly algorithm: string;
  readonly labels: number[];
  readonly elkan: number;
  readonly seedAri: number[];
  readonly seedInertia: number[];
}

/** Mean, least and greatest of a few ARIs. */
function summary(values: readonly number[]): string {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return `mean ${mean.toFixed(3)} (${Math.min(...values).toFixed(3)}-${Math.max(...values).toFixed(3)})`;
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
      writeFileSync(file, JSON.stringify({ texts, topics: [...topics], stop: [...ENGLISH_STOP_WORDS] }));
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
      note(`vocabulary ${matrix.cols} terms (the randomized SVD: over 160), ${matrix.values.length} non-zeros`);
      // One init is a draw: how good a draw is, for either side, over seeds 0..SEEDS-1 (untimed).
      const seedAri = Array.from({ length: SEEDS }, (_, seed) => adjustedRand(kmeans(svd.embedding, { k: K, seed, restarts: 1 }).labels, topics));
      note(`one init over ${SEEDS} seeds, ARI vs the generator's topics: ours ${summary(seedAri)}; scikit-learn ${summary(theirs.seedAri)}`);
      const agreement = adjustedRand(ours.labels, theirs.labels);
      note(`ours ${formatMs(ms)} (tf-idf ${formatMs(afterTfidf)}, svd ${formatMs(afterSvd - afterTfidf)}, k-means ${formatMs(ms - afterSvd)}, ${ours.iterations} iterations)`);
      note(`scikit-learn ${formatMs(theirs.ms)} (tf-idf ${formatMs(theirs.tfidf)}, svd ${formatMs(theirs.svd)}, k-means ${formatMs(theirs.kmeans)}, ${theirs.iterations} iterations of ${theirs.algorithm}; its elkan ${formatMs(theirs.elkan)})`);
      note(`ARI ours vs scikit-learn ${agreement.toFixed(3)}; vs the generator's topics: ours ${adjustedRand(ours.labels, topics).toFixed(3)}, scikit-learn ${adjustedRand(theirs.labels, topics).toFixed(3)}`);
      return { figure: ms / theirs.ms, unit: `x scikit-learn, ARI ${agreement.toFixed(3)}`, target: 1 };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
