/**
 * `image-captioner caption`: the extension's caption batch without a window (issue 14); its help and
 * flags (the work is in captionRun.ts, loaded only when the command runs, so `--help` stays quick).
 */
import type { CliCommand } from '../cliCommand';
import { DATASET_FLAGS, DATASET_FLAGS_HELP } from '../datasetFlags';

export const FLAGS = {
  ...DATASET_FLAGS,
  model: { type: 'string' },
  mode: { type: 'string' },
  target: { type: 'string' },
  concurrency: { type: 'string' },
  rpm: { type: 'string' },
  shard: { type: 'string' },
  resume: { type: 'boolean' },
  restart: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  config: { type: 'string' },
  'base-url': { type: 'string' },
  'key-env': { type: 'string' },
  'state-dir': { type: 'string' },
} as const;

export const HELP = `Usage: image-captioner caption DATASET --model ID [flags]

Captions the images of DATASET with a vision-language model and writes each caption file beside its
image, exactly as the extension's "Caption All" does (same prompt, parameters, clean-up, atomic writes).

Flags:
  --model ID                  a model of "image-captioner models list", one of --config's
                              imageCaptioner.models, or the server's model name with --base-url
  --base-url URL              an OpenAI-compatible server (vLLM, TGI, NIM, Ollama…), e.g. http://node:8000/v1
  --key-env NAME              send the key in environment variable NAME (default: the variables the
                              extension reads for the model, e.g. NVIDIA_API_KEY, OPENAI_API_KEY, HF_TOKEN)
  --mode MODE                 skip | overwrite | append | prepend for images that have a caption
                              (default: imageCaptioner.batch.mode of --config, else skip)
  --target caption|second     which file each caption goes to: the caption (default) or the second
                              caption (needs --second-caption-extension, e.g. .tags.txt)
  --concurrency N             requests in flight (default: the setting, else the model's limit)
  --rpm N                     requests per minute, retries included (default: the setting, else the model's)
  --shard I/N                 only shard I of N (0-based): N processes with I = 0..N-1 cover every image
                              exactly once; an image's shard is a hash of its relative path
  --resume                    finish this shard's unfinished job (after kill -9, preemption, Ctrl+C):
                              nothing already written is requested again; starts fresh when there is none
  --restart                   discard this shard's unfinished job and start again
  --dry-run                   say what would be captioned; send nothing, write nothing
  --json                      one JSON object per event on stdout (item, progress, note, summary)
  --config FILE               settings as in VS Code (a .vscode/settings.json works as is): prompt,
                              parameters, prefix/suffix, timeouts, batch limits, models, local.*
  --state-dir DIR             where job journals are kept (default $XDG_STATE_HOME/image-captioner,
                              else ~/.local/state/image-captioner); never inside the dataset
${DATASET_FLAGS_HELP}

Exit codes: 0 done, 1 error (nothing or not everything could be sent: the line says why),
2 usage, 3 some images failed (run again with --resume to retry them), 4 interrupted (--resume).

Examples:
  image-captioner caption ./photos --model nim/llama-3.2-11b-vision      (with NVIDIA_API_KEY set)
  image-captioner caption /data/set --model Qwen/Qwen2.5-VL-7B-Instruct --base-url http://vllm:8000/v1 \\
      --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT --resume --json
`;

export const captionCommand: CliCommand = {
  name: 'caption',
  summary: 'Caption a dataset with a model (sharded, resumable, the extension\'s exact output)',
  help: HELP,
  flags: FLAGS,
  run: async (args, io) => (await import('./captionRun.js')).runCaption(args, io),
};
