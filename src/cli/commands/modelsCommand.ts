/** `image-captioner models list | test ID`: the models a run can use, and whether one answers. */
import { keyEnvVariables, keyFromEnvironment } from '../../providers/keyEnvironment';
import { generationSettingsFrom } from '../../core/settings/generationSettings';
import { testModelConnection } from '../../providers/connectionTest';
import { CliCommand, CliError, CliIo, CliUsageError, EXIT, ExitCode } from '../cliCommand';
import { parseCommandArgs } from '../commandArgs';
import { cliCatalog, resolveKey, resolveModel } from '../cliModels';
import { cliProviders } from '../cliProviders';
import { readConfigFile } from '../configFile';
import { terminalText } from '../terminalText';

const FLAGS = {
  json: { type: 'boolean' },
  config: { type: 'string' },
  'base-url': { type: 'string' },
  'key-env': { type: 'string' },
} as const;

const HELP = `Usage: image-captioner models list [--json] [--config FILE]
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
  async run(args: readonly string[], io: CliIo): Promise<ExitCode> {
    const { values, positionals } = parseCommandArgs(args, FLAGS);
    const [action, id, ...extra] = positionals;
    if (extra.length) throw new CliUsageError(`unexpected arguments: ${extra.join(' ')}`);
    const settings = await readConfigFile(values.config);
    if (action === 'list') {
      if (id !== undefined) throw new CliUsageError('models list takes no model id');
      return list(io, settings, Boolean(values.json));
    }
    if (action === 'test') {
      if (id === undefined) throw new CliUsageError('missing the model ID to test');
      const model = resolveModel({ model: id, baseUrl: values['base-url'] }, settings);
      let apiKey: string | undefined;
      try {
        apiKey = resolveKey(model, io.env, values['key-env']);
      } catch (err) {
        // a missing key is the test's own first answer; a key that must not go there stays an error
        if (!(err instanceof CliError && /needs an API key/.test(err.message))) throw err;
      }
      const providers = cliProviders(settings, io.env, (line) => io.stderr.write(`${terminalText(line)}\n`));
      try {
        const generation = generationSettingsFrom(settings);
        const result = await testModelConnection({ model, provider: providers.factory.get(model.provider), apiKey, timeoutMs: Math.min(generation.timeoutMs, 60_000), uploadAssets: generation.uploadAssets, signal: io.signal });
        if (values.json) io.stdout.write(`${JSON.stringify({ model: model.id, ...result })}\n`);
        else if (result.ok) io.stdout.write(`${model.id}: answered in ${result.latencyMs} ms: ${terminalText(result.reply)}\n`);
        else io.stderr.write(`${terminalText(result.summary)}${result.detail ? ` (${terminalText(result.detail)})` : ''}${result.problem === 'no-key' ? ` Set ${keyEnvVariables(model.key).join(' or ')}, or name a variable with --key-env NAME.` : ''}\n`);
        return result.ok ? EXIT.ok : io.signal.aborted ? EXIT.interrupted : EXIT.error;
      } finally {
        await providers.dispose();
      }
    }
    throw new CliUsageError(action === undefined ? 'missing list or test' : `unknown action "${action}": list or test`);
  },
};

function list(io: CliIo, settings: Awaited<ReturnType<typeof readConfigFile>>, json: boolean): ExitCode {
  const resolved = cliCatalog(settings);
  const rows = resolved.models
    .filter((m) => !m.embedding)
    .map((m) => ({ id: m.id, label: m.label, provider: m.provider, keyVariables: keyEnvVariables(m.key), keySet: m.key === 'none' ? undefined : Boolean(keyFromEnvironment(m.key, io.env)) }));
  for (const problem of resolved.problems) io.stderr.write(`--config: a model entry was left out: ${terminalText(problem.reason)}\n`);
  if (json) {
    io.stdout.write(`${JSON.stringify(rows)}\n`);
    return EXIT.ok;
  }
  const width = Math.max(...rows.map((r) => r.id.length));
  for (const r of rows) {
    const key = r.keySet === undefined ? 'no key needed' : `${r.keyVariables.join(' / ')}: ${r.keySet ? 'set' : 'not set'}`;
    io.stdout.write(`${terminalText(r.id).padEnd(width)}  ${r.provider.padEnd(17)}  ${key}\n`);
  }
  return EXIT.ok;
}
