/** What `image-captioner lint` does: the extension's lint engine and settings over a folder's caption files. Loaded only when it runs. */
import * as path from 'node:path';
import { readCaptionSources } from '../../core/captions/readCaptions';
import { ImageHashes } from '../../core/lint/imageHashes';
import { lintCaptions } from '../../core/lint/lintCaptions';
import type { LintProblem } from '../../core/lint/lintTypes';
import { ESTIMATED_TOKENS } from '../../core/lint/tokenBudget';
import { lintConfigFromSettings } from '../../services/lintSettings';
import { lineStarts, positionAt } from '../../services/lintRanges';
import { CliIo, EXIT, ExitCode } from '../cliCommand';
import { onePositional, parseCommandArgs, shardFlag } from '../commandArgs';
import { readConfigFile } from '../configFile';
import { datasetSettingsFromFlags } from '../datasetFlags';
import { imagesOfShard, loadDataset } from '../datasetLoad';
import { terminalText } from '../terminalText';
import { FLAGS } from './lintCommand';

/** Runs `image-captioner lint` (see lintCommand.ts for its flags). */
export async function runLint(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(args, FLAGS);
  const dataset = onePositional(positionals, 'DATASET folder');
  const shard = shardFlag(values.shard);
  const settings = await readConfigFile(values.config, io.cwd);
  const { config, problems: settingProblems } = lintConfigFromSettings((key) => settings.get(`lint.${key}`));
  for (const problem of settingProblems) io.stderr.write(`lint: ${terminalText(problem)}\n`);
  const loaded = await loadDataset(dataset, datasetSettingsFromFlags(values), io.cwd, io.signal);
  const { index } = loaded;
  for (const warning of loaded.warnings) io.stderr.write(`lint: ${terminalText(warning)}\n`);
  const pairs = imagesOfShard(loaded, shard)
    .filter((image) => image.captionState !== 'none')
    .map((image) => ({ imagePath: index.imagePath(image), captionPath: index.captionPath(image) }));
  const { sources, failures } = await readCaptionSources(pairs, index.boundary, { signal: io.signal });
  if (io.signal.aborted) return EXIT.interrupted;
  for (const failure of failures) io.stderr.write(`lint: ${terminalText(relative(failure.captionPath))}: not linted, ${terminalText(failure.message)}\n`);
  const read = sources.filter((s): s is typeof s & { text: string } => s.text !== undefined);
  const imageHashes =
    config.nearDuplicateImages.level === 'off'
      ? undefined
      : (await new ImageHashes().hashes(read.map((s) => s.imagePath), index.boundary, { signal: io.signal })).map((h) => (h.ok ? h.hash : undefined));
  const ids = read.map((s) => relative(s.captionPath));
  const result = lintCaptions(
    read.map((s, i) => ({ id: ids[i], text: s.text })),
    { config, tokens: ESTIMATED_TOKENS, models: { imageHashes } },
  );
  const counts = new Map<string, number>();
  let serious = 0;
  result.problems.forEach((list, i) => {
    const starts = list.length ? lineStarts(read[i].text) : [];
    for (const problem of list) {
      counts.set(problem.rule, (counts.get(problem.rule) ?? 0) + 1);
      if (problem.severity === 'error' || problem.severity === 'warning') serious++;
      io.stdout.write(values.json ? `${JSON.stringify(jsonOf(ids[i], problem, starts, read[i].text))}\n` : `${lineOf(ids[i], problem, starts, read[i].text)}\n`);
    }
  });
  const summary = [...counts].map(([rule, n]) => `${n} ${rule}`).join(', ');
  io.stderr.write(`lint: ${read.length} captions, ${summary || 'no problems'}${failures.length ? `, ${failures.length} unreadable` : ''}\n`);
  return serious > 0 || failures.length > 0 ? EXIT.someFailed : EXIT.ok;

  function relative(file: string): string {
    return index.relativePath(file) ?? path.basename(file);
  }
}

function jsonOf(file: string, p: LintProblem, starts: readonly number[], text: string): object {
  const start = positionAt(starts, text.length, p.start);
  const end = positionAt(starts, text.length, p.end);
  return { file, rule: p.rule, severity: p.severity, message: p.message, start: { line: start.line + 1, column: start.character + 1 }, end: { line: end.line + 1, column: end.character + 1 }, fix: p.fix?.title };
}

/** `FILE:LINE:COLUMN: SEVERITY RULE: MESSAGE`, as compilers print problems (terminals and editors link them). */
function lineOf(file: string, p: LintProblem, starts: readonly number[], text: string): string {
  const at = positionAt(starts, text.length, p.start);
  return `${terminalText(file)}:${at.line + 1}:${at.character + 1}: ${p.severity} ${p.rule}: ${terminalText(p.message)}`;
}
