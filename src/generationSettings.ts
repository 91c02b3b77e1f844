import * as vscode from 'vscode';
import { BATCH_MODES, BatchMode } from './core/captioning/captionMerge';
import { LengthPreset, PromptOptions, StylePreset } from './core/captioning/prompts';
import { parseParams, ParamMap } from './core/captioning/params';
import type { ModelSettingsValue } from './providers/modelCatalog';

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

export function readGenerationSettings(): GenerationSettings {
  const c = vscode.workspace.getConfiguration('imageCaptioner');
  const length = c.get<LengthPreset>('generation.length', 'short');
  let params: ParamMap = {};
  let paramsError: string | undefined;
  try {
    params = parseParams(c.get<string>('generation.parameters', ''));
  } catch (err) {
    paramsError = `Setting imageCaptioner.generation.parameters: ${(err as Error).message}`;
  }
  return {
    prompt: {
      length,
      style: c.get<StylePreset>('generation.style', 'plain'),
      template: length === 'custom' ? c.get<string>('generation.customPrompt', '') : undefined,
      presetPrompts: { short: c.get<string>('generation.shortPrompt'), long: c.get<string>('generation.longPrompt') },
    },
    params,
    paramsError,
    prefix: c.get<string>('generation.prefix', ''),
    suffix: c.get<string>('generation.suffix', ''),
    timeoutMs: c.get<number>('generation.timeoutSeconds', 120) * 1000,
    uploadAssets: c.get<boolean>('nim.uploadLargeImagesAsAssets', true),
  };
}

export interface BatchSettings {
  /** What a batch does with images that already have a caption; 'ask' asks each time. */
  readonly mode: BatchMode | 'ask';
  /** 0 means the model's own limit. */
  readonly concurrency: number;
  readonly rpm: number;
}

export function readBatchSettings(): BatchSettings {
  const c = vscode.workspace.getConfiguration('imageCaptioner');
  return {
    mode: batchModeSetting(c.get<unknown>('batch.mode')),
    concurrency: c.get<number>('batch.concurrency', 0),
    rpm: c.get<number>('batch.requestsPerMinute', 0),
  };
}

/** A hand-edited value that is not a mode asks rather than guessing what to do with existing captions. */
function batchModeSetting(value: unknown): BatchSettings['mode'] {
  return BATCH_MODES.includes(value as BatchMode) ? (value as BatchMode) : 'ask';
}

/** What `inspect()` returns in VS Code 1.9x: besides the typed fields, the local and remote user values apart. */
type InspectedValue = NonNullable<ReturnType<vscode.WorkspaceConfiguration['inspect']>> & {
  readonly globalLocalValue?: unknown;
  readonly globalRemoteValue?: unknown;
};

/**
 * The user's model entries from every scope VS Code offers, least specific first: user, remote
 * machine, workspace, each workspace folder. `get()` would return only the most specific list (VS
 * Code never merges lists across scopes), which silently hid a remote machine's models whenever the
 * workspace had some. In an untrusted workspace the workspace's and folders' values are not read
 * (the setting is restricted; VS Code hides them from `inspect()` too).
 */
export function readModelSettings(): ModelSettingsValue[] {
  const key = 'models';
  const inspected = vscode.workspace.getConfiguration('imageCaptioner').inspect(key) as InspectedValue | undefined;
  if (!inspected) return [];
  const values: ModelSettingsValue[] = [];
  const split = 'globalLocalValue' in inspected || 'globalRemoteValue' in inspected;
  // a VS Code that does not tell them apart gives the user's value, remote or local, as globalValue
  values.push({ origin: { scope: 'user' }, value: split ? inspected.globalLocalValue : inspected.globalValue });
  if (split) values.push({ origin: { scope: 'machine' }, value: inspected.globalRemoteValue });
  if (!vscode.workspace.isTrusted) return values;
  values.push({ origin: { scope: 'workspace' }, value: inspected.workspaceValue });
  // with a single folder open, its .vscode/settings.json is the workspace's settings: read once
  if (vscode.workspace.workspaceFile === undefined) return values;
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const value = vscode.workspace.getConfiguration('imageCaptioner', folder.uri).inspect(key)?.workspaceFolderValue;
    values.push({ origin: { scope: 'folder', folder: folder.name }, value });
  }
  return values;
}

export function affectsModels(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration('imageCaptioner.models') || e.affectsConfiguration('imageCaptioner.dam.baseUrl');
}
