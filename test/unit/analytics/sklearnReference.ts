/** Runs a short numpy/scikit-learn script with JSON on stdin and answers its JSON, for reference results. */
import { spawnSync } from 'node:child_process';
import { findPython } from '../../../bench/findPython';

/** The JSON that `script` prints for `input` (given as JSON on stdin as `data`). */
export function sklearnReference<T>(script: string, input: unknown): T {
  const python = findPython(['numpy', 'sklearn'], 'python3-numpy python3-sklearn');
  const program = `import json, sys\nimport numpy as np\ndata = json.load(sys.stdin)\n${script}`;
  const run = spawnSync(python, ['-c', program], { input: JSON.stringify(input), encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`python failed (${run.status ?? run.signal}): ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}
