import * as vscode from 'vscode';
import { batchSettingsFrom, BatchSettings, generationSettingsFrom, GenerationSettings } from './core/settings/generationSettings';
import type { SettingsSource } from './core/settings/settingsSource';
import type { ModelSettingsValue } from './providers/modelCatalog';

export type { BatchSettings, GenerationSettings } from './core/settings/generationSettings';

/** The `imageCaptioner` configuration as the settings readers of src/core/settings see it. */
export function vscodeSettings(scope?: vscode.ConfigurationScope): SettingsSource {
  const c = vscode.workspace.getConfiguration('imageCaptioner', scope);
  return { get: (key) => c.get(key) };
}

export function readGenerationSettings(): GenerationSettings {
  return generationSettingsFrom(vscodeSettings());
}

export function readBatchSettings(): BatchSettings {
  return batchSettingsFrom(vscodeSettings());
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
