/** What `image-captioner models list | test ID` does: the catalogue and --config's models, and the shared connection test. */
import { keyEnvVariables, keyFromEnvironment } from '../../providers/keyEnvironment';
import { generationSettingsFrom } from '../../core/settings/generationSettings';
import { testModelConnection } from '../../providers/connectionTest';
import { CliError, CliIo, CliUsageError, EXIT, ExitCode } from '../cliCommand';
import { parseCommandArgs } from '../commandArgs';
import { cliCatalog, resolveKey, resolveModel } from '../cliModels';
import { cliProviders } from '../cliProviders';
import { readConfigFile } from '../configFile';
import { terminalText } from '../terminalText';

import { FLAGS } from './modelsCommand';

/** Runs `image-captioner models` (see modelsCommand.ts for its flags). */
export async function runModels(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(args, FLAGS);
  const [action, id, ...extra] = positionals;
  if (extra.length) throw new CliUsageError(`unexpected arguments: ${extra.join(' ')}`);
  const settings = await readConfigFile(values.config, io.cwd);
  if (action === 'list') {
    if (id !== undefined) throw new CliUsageError('models list takes no model id');
    return list(io, settings, Boolean(values.json));
  }
  if (action === 'test') {
    if (id === undefined) throw new CliUsageError('missing the model ID to test');
    const model = resolveModel({ model: id, baseUrl: values['base-url'] }, settings);
    let apiKey: string | undefined;
    try {
      apiKey = resolveKey(model, io.env, values['key-env'], values['base-url'] !== undefined);
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
}

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
