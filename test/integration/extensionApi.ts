// Access to the activated extension and small waiting helpers shared by the integration suites.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImageCaptionerApi } from '../../src/extension';
import type { ImageEntry } from '../../src/core/dataset/types';

export const EXTENSION_ID = 'image-captioner.image-captioner';
export const VIEW_TYPE = 'imageCaptioner.captionEditor';

export async function activateExtension(): Promise<ImageCaptionerApi> {
  const ext = vscode.extensions.getExtension<ImageCaptionerApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed in this extension host`);
  const api = await ext.activate();
  await api.dataset.whenReady();
  // Files an earlier suite moved away and back are new index entries whose captions nobody has read yet.
  await api.dataset.loadCaptions(api.dataset.index!.images());
  await waitFor(() => api.dataset.state === 'ready' && api.dataset.index!.images().every((i) => i.captionState !== 'unknown'), 'dataset indexed and captions read');
  return api;
}

/** Polls `check` until it returns a truthy value; fails with `what` after the timeout. */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The caption editor tabs open in any group. */
export function captionEditorTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputCustom && t.input.viewType === VIEW_TYPE);
}

export function activeCaptionEditorPath(): string | undefined {
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
  return tab?.input instanceof vscode.TabInputCustom && tab.input.viewType === VIEW_TYPE ? tab.input.uri.fsPath : undefined;
}

export async function openCaptionEditor(api: ImageCaptionerApi, image: ImageEntry): Promise<vscode.Uri> {
  const uri = vscode.Uri.file(api.dataset.index!.imagePath(image));
  await textDocumentInStepWithDisk(api.dataset.index!.captionPath(image));
  await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE);
  await waitFor(() => activeCaptionEditorPath() === uri.fsPath && api.editors.activeDocument?.uri.fsPath === uri.fsPath, `caption editor for ${image.name}`);
  return uri;
}

/**
 * Waits until VS Code's model of a file it holds open (not dirty) has the text on disk. Suites put
 * files back with fs writes; VS Code's watcher reloads its model a moment later, and an edit made
 * to the stale model before that fails to save ("the file is newer"), as it would for a user.
 */
export async function textDocumentInStepWithDisk(file: string): Promise<void> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file && !d.isDirty);
  if (!doc || !fs.existsSync(file)) return;
  const onDisk = (): string => fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  await waitFor(() => doc.isClosed || doc.isDirty || doc.getText() === onDisk(), `VS Code's model of ${file} reloaded from disk`).catch(() => undefined);
}

/** Closes every editor, reverting unsaved ones first so no "Save changes?" dialog blocks the run. */
export async function closeAllEditors(): Promise<void> {
  for (let guard = 0; guard < 20; guard++) {
    const dirty = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.isDirty);
    if (!dirty) break;
    const input = dirty.input as { uri?: vscode.Uri; viewType?: string };
    if (input.viewType) await vscode.commands.executeCommand('vscode.openWith', input.uri, input.viewType);
    else if (input.uri) await vscode.window.showTextDocument(input.uri);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Files under `dir` (recursively) whose text contains `needle`: where a log line or a leaked key ended up. */
export function filesContaining(dir: string, needle: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesContaining(full, needle));
    else if (entry.isFile() && fs.readFileSync(full, 'utf8').includes(needle)) found.push(full);
  }
  return found;
}
