/** What `image-captioner stats` does; loaded only when it runs, so `--help` stays quick. */
import { readCaptionSources } from '../../core/captions/readCaptions';
import { captionStatistics } from '../../core/edits/captionStatistics';
import { statisticsText } from '../../core/edits/statisticsReport';
import { CliIo, EXIT, ExitCode } from '../cliCommand';
import { onePositional, parseCommandArgs } from '../commandArgs';
import { datasetSettingsFromFlags } from '../datasetFlags';
import { loadDataset } from '../datasetLoad';
import { terminalText } from '../terminalText';
import { FLAGS } from './statsCommand';

/** Runs `stats` with its arguments (after the command name). */
export async function runStats(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(args, FLAGS);
  const dataset = onePositional(positionals, 'DATASET folder');
  const loaded = await loadDataset(dataset, datasetSettingsFromFlags(values), io.cwd, io.signal);
  const { index } = loaded;
  for (const warning of loaded.warnings) io.stderr.write(`stats: ${terminalText(warning)}\n`);
  const pairs = loaded.images.map((image) => ({ imagePath: index.imagePath(image), captionPath: index.captionPath(image) }));
  const { sources, failures } = await readCaptionSources(pairs, index.boundary, { signal: io.signal });
  if (io.signal.aborted) return EXIT.interrupted;
  for (const failure of failures) io.stderr.write(`stats: ${terminalText(index.relativePath(failure.captionPath) ?? failure.captionPath)}: not counted, ${terminalText(failure.message)}\n`);
  const stats = captionStatistics(sources);
  const label = index.rootPath;
  if (values.json) io.stdout.write(`${JSON.stringify({ dataset: label, ...stats, unreadable: failures.length, leftOut: loaded.warnings.length })}\n`);
  else io.stdout.write(statisticsText(stats, label, terminalText) + (failures.length ? `\n${failures.length} caption file(s) could not be read (listed on stderr)\n` : ''));
  return failures.length ? EXIT.someFailed : EXIT.ok;
}

