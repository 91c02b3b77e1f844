/** `image-captioner models list | test ID`: its help and flags (the work is in modelsRun.ts, loaded only when it runs). */
import type { CliCommand } from '../cliCommand';

export const FLAGS = {
  json: { type: 'boolean' },
  config: { type: 'string' },
  'base-url': { type: 'string' },
  'key-env': { type: 'string' },
} as const;

export const HELP = `Usage: image-captioner models list [--json] [--config FILE]
       image-captioner models test ID [--base-url URL] [--key-env NAME] [--config FILE] [--json]

list   every captioning model: the built-in catalogue and --config's imageCaptioner.models, with the
       environment variable its key is read from and whether it is set
test   one small request (a generated 96 px image, a five-word question): prints the latency and the
       model's reply, or what is wrong (no key, key rejected, host unreachable, model unknown)

Flags:
  --json                      one JSON object on stdout
  --config FILE               settings as in VS Code (a .vscode/settings.json works as is)
  --base-url URL              test an OpenAI-compatible server's model ID (vLLM, TGI, Ollama…)
  --key-env NAME              send the key in environment variable NAME

Exit codes: 0 listed / the model answered, 1 the model did not answer (the line says why), 2 usage.

Examples:
  image-captioner models list
  image-captioner models test Qwen/Qwen2.5-VL-7B-Instruct --base-url http://vllm:8000/v1
`;

export const modelsCommand: CliCommand = {
  name: 'models',
  summary: 'List the models a run can use, or test that one answers (latency and reply)',
  help: HELP,
  flags: FLAGS,
  run: async (args, io) => (await import('./modelsRun.js')).runModels(args, io),
};
