/** `image-captioner lint`: the extension's caption lint over a dataset folder (its help and flags; the work is in lintRun.ts). */
import type { CliCommand } from '../cliCommand';
import { DATASET_FLAGS, DATASET_FLAGS_HELP } from '../datasetFlags';

export const FLAGS = {
  ...DATASET_FLAGS,
  json: { type: 'boolean' },
  config: { type: 'string' },
  shard: { type: 'string' },
} as const;

export const HELP = `Usage: image-captioner lint DATASET [flags]

Lints the caption files of DATASET with the rules of the extension's "Lint Captions": empty captions,
the CLIP 75-token budget (estimated), banned phrases, a missing trigger word, leftover model
artefacts, exact duplicates and near-duplicate images (perceptual hash). The rules that need a model
(near-duplicate captions, low CLIP score) run in the extension only. Each rule's level and options
come from --config (imageCaptioner.lint.*), as in VS Code.

Output: one line per problem, FILE:LINE:COLUMN: SEVERITY RULE: MESSAGE (positions 1-based), and a
count per rule on stderr; with --json one object per problem on stdout.

Flags:
  --json                      one JSON object per problem on stdout
  --config FILE               settings as in VS Code (a .vscode/settings.json works as is)
  --shard I/N                 only the captions of shard I of N (0-based; duplicates are found within the shard)
${DATASET_FLAGS_HELP}

Exit codes: 0 no error or warning, 1 error, 2 usage, 3 some captions have an error or a warning.

Example:
  image-captioner lint ./photos --config .vscode/settings.json
`;

export const lintCommand: CliCommand = {
  name: 'lint',
  summary: 'Lint the captions of a dataset (empty, token budget, banned phrases, artefacts, duplicates)',
  help: HELP,
  flags: FLAGS,
  run: async (args, io) => (await import('./lintRun.js')).runLint(args, io),
};
