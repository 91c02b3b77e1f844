import type { LocalDtype, LocalTask } from '../worker/protocol';
import { fieldProblem, FieldProblem, isObject } from './modelEntryFields';
import { CATALOG_ORIGIN, ModelOrigin, originLabel, SettingsOrigin } from './modelOrigin';
import { DEFAULT_NVCF_BASE_URL } from './nvcfAssets';
import type { ImageTransport, ModelEntry, ProviderKind } from './types';

/** An entry as written in catalog.json or settings: a preset to start from and what differs. */
export interface ModelEntryInput extends Partial<Omit<ModelEntry, 'capabilities' | 'defaults' | 'rateLimit' | 'presetRateLimit'>> {
  readonly preset?: string;
  readonly capabilities?: Partial<ModelEntry['capabilities']>;
  readonly defaults?: ModelEntry['defaults'];
  readonly rateLimit?: ModelEntry['rateLimit'];
}

export interface Catalog {
  readonly presets: Readonly<Record<string, ModelEntryInput>>;
  readonly models: readonly ModelEntryInput[];
}

/** One settings scope's value of `imageCaptioner.models`, exactly as VS Code holds it: not checked yet. */
export interface ModelSettingsValue {
  readonly origin: SettingsOrigin;
  readonly value: unknown;
}

/** An entry that was skipped: where it was written, which field is wrong, and why. */
export interface ModelEntryProblem {
  readonly origin: ModelOrigin;
  /** Position in its list; undefined when the setting's value itself is not a list. */
  readonly index?: number;
  /** The entry's id, label or model as written, when it has one. */
  readonly name?: string;
  /** The field at fault (`baseUrl`, `local.task`); undefined when the entry or the value as a whole is wrong. */
  readonly field?: string;
  readonly reason: string;
}

/** A model from settings that took the place of one with the same id from a less specific origin. */
export interface ReplacedModel {
  readonly id: string;
  readonly origin: ModelOrigin;
  readonly replaced: ModelOrigin;
}

export interface ResolvedCatalog {
  readonly models: readonly ModelEntry[];
  /** Where each model's entry was written, by id. */
  readonly origins: ReadonlyMap<string, ModelOrigin>;
  /** Entries that were skipped, for the user to fix their settings. */
  readonly problems: readonly ModelEntryProblem[];
  readonly replaced: readonly ReplacedModel[];
}

const PROVIDERS: readonly ProviderKind[] = ['openai-compatible', 'nim-legacy', 'huggingface', 'local', 'dam'];
const LOCAL_TASKS: readonly LocalTask[] = ['image-to-text', 'florence2', 'smolvlm', 'wd-tagger'];
const LOCAL_DTYPES: readonly LocalDtype[] = ['fp32', 'fp16', 'q8', 'q4', 'q4f16'];
const TRANSPORTS: readonly ImageTransport[] = ['image_url', 'image_url-string', 'inline-img'];
const INPUT_TYPES: readonly string[] = ['query', 'passage'];
const TRUNCATE_MODES: readonly string[] = ['NONE', 'START', 'END'];

/**
 * Built-in models, then the entries of each settings value in the order given (least specific scope
 * first: user, remote machine, workspace, folders). VS Code itself does not merge a list setting
 * across scopes (the most specific one hides the others), so every scope is read and combined here:
 * an entry replaces an earlier one with the same id. Each entry inherits its preset's fields
 * (base URL, key, limits, defaults), and its own fields win.
 */
export function resolveCatalog(catalog: Catalog, settings: readonly ModelSettingsValue[] = []): ResolvedCatalog {
  const problems: ModelEntryProblem[] = [];
  const replaced: ReplacedModel[] = [];
  const byId = new Map<string, ModelEntry>();
  const origins = new Map<string, ModelOrigin>();
  const add = (input: unknown, origin: ModelOrigin, index: number): void => {
    const resolved = isObject(input) ? resolveEntry(input, catalog.presets) : { reason: 'is not an object ({ "preset": …, "model": … })' };
    if ('reason' in resolved) {
      problems.push({ origin, index, name: isObject(input) ? nameOf(input) : undefined, ...resolved });
      return;
    }
    const earlier = origins.get(resolved.id);
    if (earlier && origin.scope !== 'catalog') replaced.push({ id: resolved.id, origin, replaced: earlier });
    byId.delete(resolved.id); // a replacement takes the place of its origin in the order, not the old one's
    byId.set(resolved.id, resolved);
    origins.set(resolved.id, origin);
  };
  catalog.models.forEach((m, i) => add(m, CATALOG_ORIGIN, i));
  for (const { origin, value } of settings) {
    if (value === undefined) continue;
    if (!Array.isArray(value)) problems.push({ origin, reason: 'is not a list of model entries ([ { … }, … ]); none of it was used' });
    else value.forEach((m, i) => add(m, origin, i));
  }
  return { models: [...byId.values()], origins, problems, replaced };
}

/**
 * The catalogue with the Describe Anything preset pointing at `baseUrl` (the setting
 * `imageCaptioner.dam.baseUrl`): the built-in entry and the user's entries on that preset follow it,
 * an entry with its own baseUrl keeps it.
 */
export function withDamBaseUrl(catalog: Catalog, baseUrl: string): Catalog {
  const dam = catalog.presets.dam;
  return dam ? { ...catalog, presets: { ...catalog.presets, dam: { ...dam, baseUrl } } } : catalog;
}

/** One line a user can act on: which entry, where it is written, which field, and why. */
export function problemText(problem: ModelEntryProblem): string {
  const where = problem.index === undefined ? `imageCaptioner.models in ${originLabel(problem.origin)}` : `imageCaptioner.models[${problem.index}] in ${originLabel(problem.origin)}`;
  const subject = problem.index === undefined ? where : `Model entry ${problem.name === undefined ? `#${problem.index + 1}` : JSON.stringify(problem.name)} (${where})`;
  return `${subject} skipped: ${problem.field === undefined ? 'it' : `field "${problem.field}"`} ${problem.reason}`;
}

function nameOf(input: Readonly<Record<string, unknown>>): string | undefined {
  for (const field of ['id', 'label', 'model'] as const) if (typeof input[field] === 'string' && input[field] !== '') return input[field] as string;
  return undefined;
}

function resolveEntry(raw: Readonly<Record<string, unknown>>, presets: Catalog['presets']): ModelEntry | FieldProblem {
  const wrongType = fieldProblem(raw);
  if (wrongType) return wrongType;
  const input = raw as ModelEntryInput;
  const preset = input.preset ? presets[input.preset] : undefined;
  if (input.preset && !preset) return { field: 'preset', reason: `is "${input.preset}", which is no preset (choose from ${Object.keys(presets).join(', ')})` };
  const merged = { ...preset, ...input };
  const provider = merged.provider;
  if (!provider || !PROVIDERS.includes(provider)) return { field: 'provider', reason: `must be one of ${PROVIDERS.join(', ')} (or name a "preset")` };
  const id = merged.id ?? (merged.model ? `${input.preset ?? provider}/${merged.model}` : undefined);
  if (!id) return { field: 'id', reason: 'is missing: give the entry an "id" or a "model"' };
  if (provider !== 'nim-legacy' && !merged.model) return { field: 'model', reason: 'is missing: the model id the service expects' };
  if (provider !== 'huggingface' && provider !== 'local' && !merged.baseUrl) return { field: 'baseUrl', reason: 'is missing' };
  for (const field of ['baseUrl', 'nvcfBaseUrl'] as const) {
    const url = merged[field];
    if (url && !/^https?:\/\/[^\s]+$/i.test(url)) return { field, reason: `is not an http(s) URL: ${url}` };
  }
  if (provider === 'local') {
    const local = merged.local;
    if (!local || !LOCAL_TASKS.includes(local.task)) return { field: 'local.task', reason: `must be ${LOCAL_TASKS.map((t) => `"${t}"`).join(' | ')} (a local model needs "local": { "task": … })` };
    if (local.dtype && !LOCAL_DTYPES.includes(local.dtype)) return { field: 'local.dtype', reason: `must be one of ${LOCAL_DTYPES.join(', ')}` };
  }
  const embedding = merged.embedding;
  if (embedding) {
    if (provider !== 'openai-compatible') return { field: 'embedding', reason: `needs provider "openai-compatible" (POST {baseUrl}/embeddings), not "${provider}"` };
    if (embedding.inputType !== undefined && !INPUT_TYPES.includes(embedding.inputType)) return { field: 'embedding.inputType', reason: `must be ${INPUT_TYPES.map((t) => `"${t}"`).join(' or ')}` };
    if (embedding.truncate !== undefined && !TRUNCATE_MODES.includes(embedding.truncate)) return { field: 'embedding.truncate', reason: `must be ${TRUNCATE_MODES.map((t) => `"${t}"`).join(', ')}` };
  }
  const transport = merged.imageTransport ?? 'image_url';
  if (!TRANSPORTS.includes(transport)) return { field: 'imageTransport', reason: `must be one of ${TRANSPORTS.join(', ')}` };
  return {
    id,
    label: input.label ?? `${merged.model ?? id} (${preset?.label ?? provider})`,
    provider,
    baseUrl: merged.baseUrl?.replace(/\/+$/, ''),
    model: merged.model,
    imageTransport: transport,
    key: merged.key ?? 'none',
    maxImageSide: merged.maxImageSide,
    maxInlineBase64: merged.maxInlineBase64,
    useAssets: merged.useAssets,
    // polls after HTTP 202 go there too, so every legacy route has one
    nvcfBaseUrl: provider === 'nim-legacy' ? (merged.nvcfBaseUrl ?? DEFAULT_NVCF_BASE_URL).replace(/\/+$/, '') : undefined,
    hfProvider: merged.hfProvider,
    systemPrompt: merged.systemPrompt,
    capabilities: { stream: true, ...preset?.capabilities, ...input.capabilities },
    defaults: { ...preset?.defaults, ...input.defaults },
    rateLimit: input.rateLimit,
    presetRateLimit: preset?.rateLimit,
    extraBody: merged.extraBody,
    note: merged.note,
    local: merged.local,
    embedding: merged.embedding,
  };
}

/** Where the model runs, for grouping in pickers. */
export function serviceLabel(model: ModelEntry, catalog: Catalog): string {
  const preset = Object.entries(catalog.presets).find(([, p]) => p.baseUrl && p.baseUrl === model.baseUrl)?.[1];
  if (model.provider === 'local') return 'Local (this machine)';
  return preset?.label ?? (model.provider === 'huggingface' ? 'Hugging Face Inference' : model.baseUrl ?? model.provider);
}
