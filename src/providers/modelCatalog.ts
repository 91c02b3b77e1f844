import type { LocalDtype, LocalTask } from '../worker/protocol';
import type { ImageTransport, ModelEntry, ProviderKind } from './types';

/** An entry as written in catalog.json or settings: a preset to start from and what differs. */
export interface ModelEntryInput extends Partial<Omit<ModelEntry, 'capabilities' | 'defaults' | 'rateLimit'>> {
  readonly preset?: string;
  readonly capabilities?: Partial<ModelEntry['capabilities']>;
  readonly defaults?: ModelEntry['defaults'];
  readonly rateLimit?: ModelEntry['rateLimit'];
}

export interface Catalog {
  readonly presets: Readonly<Record<string, ModelEntryInput>>;
  readonly models: readonly ModelEntryInput[];
}

export interface ResolvedCatalog {
  readonly models: readonly ModelEntry[];
  /** Entries that were skipped, each with why, for the user to fix their settings. */
  readonly problems: readonly string[];
}

const PROVIDERS: readonly ProviderKind[] = ['openai-compatible', 'nim-legacy', 'huggingface', 'local'];
const LOCAL_TASKS: readonly LocalTask[] = ['image-to-text', 'florence2', 'smolvlm'];
const LOCAL_DTYPES: readonly LocalDtype[] = ['fp32', 'fp16', 'q8', 'q4', 'q4f16'];
const TRANSPORTS: readonly ImageTransport[] = ['image_url', 'image_url-string', 'inline-img'];

/**
 * Built-in models followed by the user's: a user entry with a built-in id replaces it; each entry
 * inherits its preset's fields (base URL, key, limits, defaults), and its own fields win.
 */
export function resolveCatalog(catalog: Catalog, userEntries: readonly ModelEntryInput[] = []): ResolvedCatalog {
  const problems: string[] = [];
  const byId = new Map<string, ModelEntry>();
  const add = (input: ModelEntryInput, origin: string): void => {
    const resolved = resolveEntry(input, catalog.presets);
    if (typeof resolved === 'string') problems.push(`${origin}: ${resolved}`);
    else byId.set(resolved.id, resolved);
  };
  catalog.models.forEach((m, i) => add(m, `catalog entry ${m.id ?? i + 1}`));
  userEntries.forEach((m, i) => add(m, `imageCaptioner.models[${i}]${m.id ? ` (${m.id})` : ''}`));
  return { models: [...byId.values()], problems };
}

function resolveEntry(input: ModelEntryInput, presets: Catalog['presets']): ModelEntry | string {
  const preset = input.preset ? presets[input.preset] : undefined;
  if (input.preset && !preset) return `unknown preset "${input.preset}" (choose from ${Object.keys(presets).join(', ')})`;
  const merged = { ...preset, ...input };
  const provider = merged.provider;
  if (!provider || !PROVIDERS.includes(provider)) return `"provider" must be one of ${PROVIDERS.join(', ')}`;
  const id = merged.id ?? (merged.model ? `${input.preset ?? provider}/${merged.model}` : undefined);
  if (!id) return 'needs an "id" or a "model"';
  if (provider !== 'nim-legacy' && !merged.model) return 'needs a "model" (the id the service expects)';
  if (provider !== 'huggingface' && provider !== 'local' && !merged.baseUrl) return 'needs a "baseUrl"';
  if (merged.baseUrl && !/^https?:\/\/[^\s]+$/i.test(merged.baseUrl)) return `"baseUrl" ${merged.baseUrl} is not an http(s) URL`;
  if (provider === 'local') {
    const local = merged.local;
    if (!local || !LOCAL_TASKS.includes(local.task)) return `a local model needs "local": { "task": ${LOCAL_TASKS.map((t) => `"${t}"`).join(' | ')} }`;
    if (local.dtype && !LOCAL_DTYPES.includes(local.dtype)) return `"local.dtype" must be one of ${LOCAL_DTYPES.join(', ')}`;
  }
  const transport = merged.imageTransport ?? 'image_url';
  if (!TRANSPORTS.includes(transport)) return `"imageTransport" must be one of ${TRANSPORTS.join(', ')}`;
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
    hfProvider: merged.hfProvider,
    systemPrompt: merged.systemPrompt,
    capabilities: { stream: true, ...preset?.capabilities, ...input.capabilities },
    defaults: { ...preset?.defaults, ...input.defaults },
    rateLimit: { ...preset?.rateLimit, ...input.rateLimit },
    extraBody: merged.extraBody,
    note: merged.note,
    local: merged.local,
  };
}

/** Where the model runs, for grouping in pickers. */
export function serviceLabel(model: ModelEntry, catalog: Catalog): string {
  const preset = Object.entries(catalog.presets).find(([, p]) => p.baseUrl && p.baseUrl === model.baseUrl)?.[1];
  if (model.provider === 'local') return 'Local (this machine)';
  return preset?.label ?? (model.provider === 'huggingface' ? 'Hugging Face Inference' : model.baseUrl ?? model.provider);
}
