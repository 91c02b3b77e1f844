/** `image-captioner stats`: the extension's caption statistics for a dataset folder, as text or JSON. */
import { readCaptionSources } from '../../core/captions/readCaptions';
import { captionStatistics } from '../../core/edits/captionStatistics';
import { statisticsText } from '../../core/edits/statisticsReport';
import { CliCommand, CliIo, EXIT, ExitCode } from '../cliCommand';
import { onePositional, parseCommandArgs } from '../commandArgs';
import { DATASET_FLAGS, DATASET_FLAGS_HELP, datasetSettingsFromFlags, loadDataset } from '../datasetLoad';
import { terminalText } from '../terminalText';

const FLAGS = { ...DATASET_FLAGS, json: { type: 'boolean' } } as const;

const HELP = `Usage: image-captioner stats DATASET [flags]

Caption statistics of DATASET, as the extension's "Caption Statistics" report shows them: images,
captioned, empty caption files, images without a caption file, words per caption, captions over
CLIP's 75 tokens (estimated), a length histogram, the most frequent tags and words.

Flags:
  --json                      one JSON object on stdout instead of the text report
${DATASET_FLAGS_HELP}

Images whose names share a stem in one folder, and caption files that cannot be read (not UTF-8,
too large, not a regular file, a link leading out), are left out and named on stderr.
Exit codes: 0 done, 1 error, 2 usage, 3 some caption files could not be read.

Example:
  image-captioner stats ./photos --json > stats.json
`;

export const statsCommand: CliCommand = {
  name: 'stats',
  summary: 'Caption statistics of a dataset: counts, lengths, top tags and words (--json for machines)',
  help: HELP,
  flags: FLAGS,
  async run(args: readonly string[], io: CliIo): Promise<ExitCode> {
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
  },
};

