/** NLTK's corpus_bleu on the same sets as ours, in a python3 child, timed around the call only. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ScoredItem } from '../src/core/metrics/metricTypes';
import { findPython } from './findPython';

const NLTK = `
import json, sys, time
from nltk.translate.bleu_score import corpus_bleu
data = json.load(open(sys.argv[1]))
refs = [item['references'] for item in data]
hyps = [item['candidate'] for item in data]
start = time.perf_counter()
bleu4 = corpus_bleu(refs, hyps)
ms = (time.perf_counter() - start) * 1000
print(json.dumps({'ms': ms, 'bleu4': bleu4}))
`;

export interface NltkRun {
  readonly ms: number;
  readonly bleu4: number;
}

/** Runs NLTK 3.8 corpus_bleu (BLEU-4, uniform weights) over `items`; throws naming the Debian package when NLTK is missing. */
export function nltkCorpusBleu4(items: readonly ScoredItem[]): NltkRun {
  const python = findPython(['nltk'], 'python3-nltk');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'image-captioner-nltk-'));
  try {
    const file = path.join(dir, 'sets.json');
    writeFileSync(file, JSON.stringify(items.map((i) => ({ candidate: i.candidate, references: i.references }))));
    const child = spawnSync(python, ['-c', NLTK, file], { encoding: 'utf8', maxBuffer: 16 << 20, timeout: 600_000 });
    if (child.status !== 0) throw new Error(`NLTK corpus_bleu failed (${child.status ?? child.signal}): ${child.stderr}`);
    return JSON.parse(child.stdout) as NltkRun;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
