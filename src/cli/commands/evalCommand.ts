/** `image-captioner eval`: the extension's "Evaluate Models…" from a terminal (its help and flags; the work is in evalRun.ts). */
import type { CliCommand } from '../cliCommand';
import { DATASET_FLAGS, DATASET_FLAGS_HELP } from '../datasetFlags';

export const FLAGS = {
  ...DATASET_FLAGS,
  model: { type: 'string', multiple: true },
  'reference-extension': { type: 'string' },
  sample: { type: 'string' },
  seed: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  'clip-score': { type: 'boolean' },
  config: { type: 'string' },
  'base-url': { type: 'string' },
  'key-env': { type: 'string' },
} as const;

export const HELP = `Usage: image-captioner eval DATASET --model A --model B [flags]

Compares two or more models on a seeded sample of the images that have reference captions, as the
extension's "Evaluate Models…" does: each model captions the sample through the batch engine (the
candidates go under --out, never into the dataset), then BLEU-1..4 (pycocoevalcap and NLTK
conventions), CIDEr-D, mean words, time per image, failures and the gender check are computed.
References: a file beside each image (photo.ref.txt), one reference per non-empty line.
With --clip-score each caption also gets a CLIP score (100 × cosine of image and caption) from the
local CLIP model imageCaptioner.local.clipModel, run by the same worker as local captioning.

Flags:
  --model ID                  a model to compare (give it two or more times)
  --reference-extension EXT   the references' suffix (default: imageCaptioner.evaluate.referenceExtension, else .ref.txt)
  --sample N                  images in the sample (default 100; all when fewer have references)
  --seed N                    the seed that draws the sample (default 1): the same seed, the same images
  --out DIR                   where the report folder goes (default ./evaluations): DIR/<id>/report.json,
                              the candidates beside it; the extension's "Open Last Evaluation Report" reads it
  --clip-score                score each caption with the local CLIP model (imageCaptioner.local.clipModel in
                              --config; a hub id is downloaded once unless imageCaptioner.local.allowDownloads
                              is false); its embeddings are cached in DIR/.clip-cache
  --json                      print the report's per-model summary as JSON on stdout
  --config FILE               settings as in VS Code (a .vscode/settings.json works as is)
  --base-url URL              an OpenAI-compatible server serving every --model (vLLM, TGI, Ollama…)
  --key-env NAME              send the key in environment variable NAME
${DATASET_FLAGS_HELP}

Exit codes: 0 done, 1 error, 2 usage, 3 some captions failed (the report counts them), 4 interrupted.

Example:
  image-captioner eval ./flickr8k --model nim/llama-3.2-11b-vision --model openai/gpt-4o-mini --sample 500
`;

export const evalCommand: CliCommand = {
  name: 'eval',
  summary: 'Compare models on a seeded sample against reference captions (BLEU, CIDEr-D, CLIP score, gender check)',
  help: HELP,
  flags: FLAGS,
  run: async (args, io) => (await import('./evalRun.js')).runEval(args, io),
};
