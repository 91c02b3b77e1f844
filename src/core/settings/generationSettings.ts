/**
 * The captioning settings both front ends read (issue 14): the extension from VS Code's configuration,
 * the CLI from its config file and flags. The defaults live here and nowhere else in the code (a unit
 * test keeps package.json's declared defaults equal to them).
 */
import { BATCH_MODES, BatchMode } from '../captioning/captionMerge';
import { parseParams, ParamMap } from '../captioning/params';
import { LengthPreset, PromptOptions, StylePreset } from '../captioning/prompts';
import { SettingsSource, typed } from './settingsSource';

/** How captions are generated, as the user's settings say. */
export interface GenerationSettings {
  readonly prompt: PromptOptions;
  /** Parsed advanced parameters; a syntax error is reported here, not at request time. */
  readonly params: ParamMap;
  readonly paramsError?: string;
  readonly prefix: string;
  readonly suffix: string;
  readonly timeoutMs: number;
  readonly uploadAssets: boolean;
}

export interface BatchSettings {
  /** What a batch does with images that already have a caption; 'ask' asks each time. */
  readonly mode: BatchMode | 'ask';
  /** 0 means the model's own limit. */
  readonly concurrency: number;
  readonly rpm: number;
}

/** The defaults of every key read here, by key (without the `imageCaptioner.` prefix). */
export const GENERATION_DEFAULTS = {
  'generation.length': 'short',
  'generation.style': 'plain',
  'generation.customPrompt': '',
  'generation.parameters': '',
  'generation.prefix': '',
  'generation.suffix': '',
  'generation.timeoutSeconds': 120,
  'nim.uploadLargeImagesAsAssets': true,
  'batch.mode': 'ask',
  'batch.concurrency': 0,
  'batch.requestsPerMinute': 0,
} as const;

const LENGTHS: readonly LengthPreset[] = ['short', 'long', 'custom'];
const STYLES: readonly StylePreset[] = ['plain', 'sentence', 'paragraph', 'tags', 'sd-prompt'];

export function generationSettingsFrom(source: SettingsSource): GenerationSettings {
  const d = GENERATION_DEFAULTS;
  const length = oneOf(source.get('generation.length'), LENGTHS, d['generation.length']);
  let params: ParamMap = {};
  let paramsError: string | undefined;
  try {
    params = parseParams(typed(source, 'generation.parameters', d['generation.parameters']));
  } catch (err) {
    paramsError = `Setting imageCaptioner.generation.parameters: ${(err as Error).message}`;
  }
  const optional = (key: string): string | undefined => {
    const value = source.get(key);
    return typeof value === 'string' ? value : undefined;
  };
  return {
    prompt: {
      length,
      style: oneOf(source.get('generation.style'), STYLES, d['generation.style']),
      template: length === 'custom' ? typed(source, 'generation.customPrompt', d['generation.customPrompt']) : undefined,
      presetPrompts: { short: optional('generation.shortPrompt'), long: optional('generation.longPrompt') },
    },
    params,
    paramsError,
    prefix: typed(source, 'generation.prefix', d['generation.prefix']),
    suffix: typed(source, 'generation.suffix', d['generation.suffix']),
    timeoutMs: typed(source, 'generation.timeoutSeconds', d['generation.timeoutSeconds']) * 1000,
    uploadAssets: typed(source, 'nim.uploadLargeImagesAsAssets', d['nim.uploadLargeImagesAsAssets']),
  };
}

export function batchSettingsFrom(source: SettingsSource): BatchSettings {
  const d = GENERATION_DEFAULTS;
  return {
    // a hand-edited value that is not a mode asks rather than guessing what to do with existing captions
    mode: oneOf(source.get('batch.mode'), [...BATCH_MODES, 'ask'] as const, d['batch.mode']),
    concurrency: typed(source, 'batch.concurrency', d['batch.concurrency']),
    rpm: typed(source, 'batch.requestsPerMinute', d['batch.requestsPerMinute']),
  };
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}
