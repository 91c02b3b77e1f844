/** `image-captioner stats`: the extension's caption statistics for a dataset folder, as text or JSON (its help and flags; the work is in statsRun.ts). */
import type { CliCommand } from '../cliCommand';
import { DATASET_FLAGS, DATASET_FLAGS_HELP } from '../datasetFlags';

export const FLAGS = { ...DATASET_FLAGS, json: { type: 'boolean' } } as const;

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
  run: async (args, io) => (await import('./statsRun.js')).runStats(args, io),
};
