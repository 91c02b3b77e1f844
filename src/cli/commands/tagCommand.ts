/**
 * `image-captioner tag`: the extension's "Tag Images with a WD Tagger…" without a window; its help and
 * flags (the work is in tagRun.ts, loaded only when the command runs, so `--help` stays quick).
 */
import type { CliCommand } from '../cliCommand';
import { DATASET_FLAGS, DATASET_FLAGS_HELP } from '../datasetFlags';

export const FLAGS = {
  ...DATASET_FLAGS,
  model: { type: 'string' },
  mode: { type: 'string' },
  'general-threshold': { type: 'string' },
  'character-threshold': { type: 'string' },
  mcut: { type: 'boolean' },
  'include-rating': { type: 'boolean' },
  'max-tags': { type: 'string' },
  'trigger-word': { type: 'string' },
  exclude: { type: 'string' },
  'batch-size': { type: 'string' },
  resume: { type: 'boolean' },
  restart: { type: 'boolean' },
  json: { type: 'boolean' },
  config: { type: 'string' },
  'state-dir': { type: 'string' },
} as const;

export const HELP = `Usage: image-captioner tag DATASET [--model ID] [flags]

Tags the images of DATASET with a WD tagger (ONNX, locally, no Python) and writes the tags into each
caption file beside its image, exactly as the extension's "Tag Images with a WD Tagger…" does.

Flags:
  --model ID                  a tagger of "image-captioner models list" (local/wd-vit-tagger-v3, …) or one of
                              --config's imageCaptioner.models with "local": { "task": "wd-tagger" }
                              (default: imageCaptioner.tagger.model of --config, else local/wd-vit-tagger-v3)
  --mode MODE                 skip | overwrite | append | prepend for images that have a caption; append
                              and prepend merge tags without duplicates (default: imageCaptioner.batch.mode, else skip)
  --general-threshold X       lowest score of a general tag, 0 to 1 (default 0.35)
  --character-threshold X     lowest score of a character tag, 0 to 1 (default 0.85)
  --mcut                      thresholds per image by Maximum Cut instead
  --include-rating            write the most likely rating tag
  --max-tags N                most character + general tags per image (0: no limit)
  --trigger-word WORD         written first in every caption
  --exclude LIST              tags never written, comma-separated; * matches any characters
  --batch-size N              images per worker request (default 8)
  --resume                    finish this dataset's unfinished tag job; starts fresh when there is none
  --restart                   discard the unfinished tag job and start again
  --json                      one JSON object per event on stdout (item, progress, note, summary)
  --config FILE               settings as in VS Code: imageCaptioner.tagger.*, batch.*, models, local.*
  --state-dir DIR             where job journals are kept (default $XDG_STATE_HOME/image-captioner,
                              else ~/.local/state/image-captioner); never inside the dataset
${DATASET_FLAGS_HELP}

Exit codes: 0 done, 1 error, 2 usage, 3 some images failed (run again with --resume to retry them),
4 interrupted (--resume).

Examples:
  image-captioner tag ./lora-set --model local/wd-swinv2-tagger-v3 --general-threshold 0.4 --trigger-word sks
  image-captioner tag ./lora-set --mode append --exclude "simple_background,*_background" --json
`;

export const tagCommand: CliCommand = {
  name: 'tag',
  summary: 'Tag a dataset with a WD tagger (booru tags, thresholds, merged into the captions)',
  help: HELP,
  flags: FLAGS,
  run: async (args, io) => (await import('./tagRun.js')).runTag(args, io),
};
