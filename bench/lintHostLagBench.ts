import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LintHostLagConfig, LintHostLagResult } from '../test/integration/bench/lintHostLag.bench';
import { runBenchSuite } from '../test/integration/launcher/runIntegration';
import { writeCaptions } from './lintBench';
import { Benchmark, note } from './measure';

/**
 * The extension host's longest turn (event-loop delay beyond a 10 ms timer) in a real VS Code while
 * "Lint Captions" runs over 100,000 caption files (lint-100k's captions, every rule with its default
 * level; the images are empty files, so the near-duplicate image rule reads and fails on each one and
 * the rules needing a model not on this machine are skipped).
 */
export const lintHostLagBench: Benchmark = {
  name: 'lint-host-lag',
  async run() {
    const root = mkdtempSync(path.join(os.tmpdir(), 'image-captioner-lint-host-lag-'));
    try {
      const datasetDir = path.join(root, 'dataset');
      for (const { imagePath } of writeCaptions(datasetDir)) writeFileSync(imagePath, '');
      // BENCH_CPU_PROFILE=file.cpuprofile keeps a CPU profile of the extension host during the lint
      const config: LintHostLagConfig = { datasetDir, cpuProfile: process.env.BENCH_CPU_PROFILE ? path.resolve(process.env.BENCH_CPU_PROFILE) : undefined };
      const resultFile = path.join(root, 'result.json');
      const outcome = await runBenchSuite({ name: 'lintHostLag', resultFile, config: { ...config } });
      if (outcome.failed > 0 || outcome.passed !== 1) throw new Error('the lint-host-lag suite failed in the extension host (its output is above)');
      const host = JSON.parse(readFileSync(resultFile, 'utf8')) as LintHostLagResult;
      note(`${host.captions} captions, ${host.problems} problems, linted in ${(host.lintMs / 1000).toFixed(1)} s; event-loop delay p99 ${host.p99.toFixed(1)} ms, max ${host.max.toFixed(1)} ms (${host.samples} samples)`);
      for (const line of host.notes) note(line);
      if (host.longTurns.length) note(`turns over 100 ms (start after the lint began, length): ${host.longTurns.map((t) => `${(t.start / 1000).toFixed(2)} s ${t.ms.toFixed(0)} ms`).join(', ')}`);
      return { figure: host.max, unit: ' ms longest extension-host turn (beyond the 10 ms timer)', target: 50 };
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
};
