/** `image-captioner import`: a caption set (Flickr8k/30k, COCO, CSV, JSONL) into a dataset's caption files (its help and flags; the work is in importRun.ts). */
import { IMPORT_FORMATS } from '../../core/import/importTypes';
import type { CliCommand } from '../cliCommand';
import { DATASET_FLAGS, DATASET_FLAGS_HELP } from '../datasetFlags';

export const FLAGS = {
  ...DATASET_FLAGS,
  from: { type: 'string' },
  format: { type: 'string' },
  'image-column': { type: 'string' },
  'caption-column': { type: 'string' },
  captions: { type: 'string' },
  conflict: { type: 'string' },
  'dry-run': { type: 'boolean' },
} as const;

const HELP = `Usage: image-captioner import DATASET --from FILE [flags]

Writes the captions of a caption set into DATASET's caption files, as the extension's
"Import Captions…" does. Rows are matched to images by relative path, then file name, then stem.

Flags:
  --from FILE                 the caption set (required)
  --format FORMAT             ${IMPORT_FORMATS.join(', ')} (default: detected from the name and content)
  --image-column NAME         csv/jsonl: the column or key holding the image (default: detected)
  --caption-column NAME       csv/jsonl: the column or key holding the caption (default: detected)
  --captions WHICH            first, all (one per line) or N (the 0-based Nth of each image) (default first)
  --conflict POLICY           images that have a caption already: skip, overwrite or append (default skip)
  --dry-run                   print what would be written; write nothing
${DATASET_FLAGS_HELP}

Prints each caption file written (or, with --dry-run, to be written) on stdout; rows that match no
image or several images, and files changed on disk meanwhile, on stderr.
Exit codes: 0 done, 1 error (nothing written), 2 usage, 3 some rows matched no single image or
some files changed meanwhile (the rest was written).

Example:
  image-captioner import ./flickr8k/Images --from ./flickr8k/captions.txt --captions all --dry-run
`;

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'Import a caption set (Flickr8k/30k, COCO, CSV, JSONL) into caption files',
  help: HELP,
  flags: FLAGS,
  run: async (args, io) => (await import('./importRun.js')).runImport(args, io),
};
