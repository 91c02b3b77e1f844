/**
 * Which model a CLI run uses and the key it sends: the extension's catalogue plus the config file's
 * `imageCaptioner.models`, or an ad-hoc OpenAI-compatible server (`--base-url`). Keys come from the
 * environment only: the variables the extension reads, or the one `--key-env` names.
 */
import catalogJson from '../../models/catalog.json';
import { Catalog, problemText, resolveCatalog, ResolvedCatalog } from '../providers/modelCatalog';
import { keyDestinations, isLoopback, keyVerdict, ownOrigins } from '../providers/keyDestinations';
import { keyEnvVariables, keyFromEnvironment } from '../providers/keyEnvironment';
import type { ModelEntry } from '../providers/types';
import type { SettingsSource } from '../core/settings/settingsSource';
import { CliError } from './cliCommand';

const catalog = catalogJson as unknown as Catalog;

/** The catalogue and the config's models (the config's entries replace catalogue entries of the same id). */
export function cliCatalog(settings: SettingsSource): ResolvedCatalog {
  return resolveCatalog(catalog, [{ origin: { scope: 'user' }, value: settings.get('models') }]);
}

export interface ModelChoice {
  readonly model?: string;
  /** An OpenAI-compatible server's base URL (…/v1): the model id is then the server's own. */
  readonly baseUrl?: string;
}

/** The model to caption with; throws CliError naming the fix (`image-captioner models list`). */
export function resolveModel(choice: ModelChoice, settings: SettingsSource): ModelEntry {
  if (!choice.model) throw new CliError('missing --model ID (see "image-captioner models list")');
  if (choice.baseUrl !== undefined) return adHocModel(choice.model, choice.baseUrl);
  const resolved = cliCatalog(settings);
  const model = resolved.models.find((m) => m.id === choice.model);
  if (model && !model.embedding) return model;
  const problem = resolved.problems.find((p) => p.name === choice.model);
  if (problem) throw new CliError(`model ${choice.model} in --config cannot be used: ${problemText(problem)}`);
  if (model) throw new CliError(`${choice.model} is an embedding model; pick a captioning model (see "image-captioner models list")`);
  throw new CliError(`unknown model "${choice.model}": see "image-captioner models list", add it to imageCaptioner.models in --config, or pass --base-url for an OpenAI-compatible server`);
}

/** An OpenAI-compatible server at `baseUrl` serving `modelName` (vLLM, TGI, Ollama, LM Studio, llama.cpp…). */
function adHocModel(modelName: string, baseUrl: string): ModelEntry {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new CliError(`--base-url ${baseUrl}: not a URL (e.g. http://gpu-node:8000/v1)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`--base-url ${baseUrl}: expected an http:// or https:// URL`);
  const resolved = resolveCatalog(catalog, [{ origin: { scope: 'user' }, value: [{ id: `server/${modelName}`, preset: 'vllm', label: `${modelName} at ${url.host}`, baseUrl, model: modelName }] }]);
  const model = resolved.models.find((m) => m.id === `server/${modelName}`);
  if (!model) throw new CliError(`--base-url ${baseUrl} --model ${modelName}: ${resolved.problems.map(problemText).join('; ') || 'not usable'}`);
  return model;
}

/**
 * The key for `model`: `--key-env NAME`'s variable, else the variables the extension reads for the
 * model's key. Undefined for a model that needs none; CliError when one is needed and missing.
 */
export function resolveKey(model: ModelEntry, env: NodeJS.ProcessEnv, keyEnv?: string, typedBaseUrl = false): string | undefined {
  if (keyEnv !== undefined) {
    const value = env[keyEnv]?.trim();
    if (!value) throw new CliError(`--key-env ${keyEnv}: the environment variable ${keyEnv} is not set`);
    // Naming the variable is the approval the extension asks for. Plain http to another machine is
    // refused unless the user typed that server's URL too (a cluster-internal vLLM behind --api-key);
    // a server named only by a --config file, which may come with a stranger's dataset, never gets it.
    const plain = keyDestinations(model).find((origin) => origin.startsWith('http:') && !isLoopback(origin));
    if (plain && !typedBaseUrl) throw new CliError(`a key is never sent over plain http to another machine (${plain}) named by --config: use https, or pass the server with --base-url`);
    return value;
  }
  if (model.key === 'none') return undefined;
  const verdict = keyVerdict(model, ownOrigins(resolveCatalog(catalog).models), () => false);
  if (verdict.kind === 'refused') throw new CliError(`${model.label}: a key is never sent over plain http to another machine (${verdict.origin}); use https`);
  if (verdict.kind === 'needs-approval') {
    throw new CliError(`${model.label} would send the ${model.key} key to ${verdict.origins.join(', ')}, which is not that key's service: pass --key-env NAME to send a key there on purpose`);
  }
  const found = keyFromEnvironment(model.key, env);
  if (!found) throw new CliError(`${model.label} needs an API key: set ${keyEnvVariables(model.key).join(' or ')} (or name another variable with --key-env NAME)`);
  return found.value;
}
