/** `image-captioner export`: the extension's exporters over a dataset folder, or one shard of it (its help and flags; the work is in exportRun.ts). */
import { DEFAULT_MAX_SAMPLES_PER_SHARD, DEFAULT_MAX_SHARD_BYTES } from '../../core/export/exportTypes';
import type { CliCommand } from '../cliCommand';
import { DATASET_FLAGS, DATASET_FLAGS_HELP } from '../datasetFlags';

export const EXPORT_FORMATS = ['webdataset', 'zip', 'imagefolder', 'csv', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const FLAGS = {
  ...DATASET_FLAGS,
  format: { type: 'string' },
  out: { type: 'string' },
  shard: { type: 'string' },
  'all-images': { type: 'boolean' },
  captions: { type: 'string' },
  name: { type: 'string' },
  'max-samples-per-shard': { type: 'string' },
  'max-shard-size-mb': { type: 'string' },
} as const;

const HELP = `Usage: image-captioner export DATASET --format FORMAT --out DIR [flags]

Exports the images of DATASET with their captions, as the extension's export commands do.

Formats (files written into DIR):
  webdataset    tar shards NAME-000000.tar, ... of KEY.<image ext> + KEY.txt + KEY.json
  zip           webData.zip: the images flat plus label.json
  imagefolder   the images at their relative paths plus metadata.jsonl (Hugging Face imagefolder)
  csv           captions.csv: file_name,text (RFC 4180)
  jsonl         captions.jsonl: {"file_name","text"} per line

Flags:
  --format FORMAT             webdataset, zip, imagefolder, csv or jsonl (required)
  --out DIR                   folder the files go into, created if missing (required)
  --shard I/N                 only shard I (0 to N-1) of N, chosen by a hash of each image's relative
                              path; file names carry the shard (NAME-shard-I-of-N-000000.tar,
                              webData-shard-I-of-N.zip, metadata-shard-I-of-N.jsonl,
                              captions-shard-I-of-N.csv), so N tasks can share one DIR
  --all-images                also images without a caption, with empty text (default: captioned only)
  --captions WHICH            with --second-caption-extension: caption (default), second (written as
                              the caption), or both (webdataset: KEY.txt and KEY.tags.txt members;
                              csv, jsonl: a second_text column)
  --name NAME                 webdataset shard name prefix (default: the dataset folder's name)
  --max-samples-per-shard N   webdataset: samples per tar (default ${DEFAULT_MAX_SAMPLES_PER_SHARD})
  --max-shard-size-mb N       webdataset: megabytes per tar (default ${DEFAULT_MAX_SHARD_BYTES / 1e6})
${DATASET_FLAGS_HELP}

WebDataset keys are each image's position in the whole dataset, so the shards of N tasks together
hold exactly the members of one unsharded export. imagefolder shards: concatenate the
metadata-shard-*.jsonl files into metadata.jsonl before loading.

Progress goes to stderr; the files written and a summary to stdout.
Exit codes: 0 done, 1 error (nothing written), 2 usage, 3 some images skipped (listed), 4 interrupted.

Example:
  image-captioner export ./photos --format webdataset --out ./shards --shard 3/16
`;


export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'Export a dataset (or one shard of it) as WebDataset, zip, imagefolder, CSV or JSONL',
  help: HELP,
  flags: FLAGS,
  run: async (args, io) => (await import('./exportRun.js')).runExport(args, io),
};
