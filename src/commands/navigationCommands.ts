import * as vscode from 'vscode';
import { navigationTarget, NavigationMove } from '../core/dataset/navigation';
import { DatasetService } from '../services/datasetService';
import { saveOnNavigate } from '../settings';
import { CaptionEditorProvider } from '../webviews/captionEditorProvider';
import { CAPTION_EDITOR_VIEW_TYPE } from '../webviews/captionEditorViewType';
import { showInformation } from '../services/notifications';

/** Next / Previous / Next Uncaptioned: the caption editor moves through the dataset in one tab. */
export function registerNavigationCommands(dataset: DatasetService, editors: CaptionEditorProvider): vscode.Disposable[] {
  const go = (move: NavigationMove) => () => navigate(dataset, editors, move);
  return [
    vscode.commands.registerCommand('imageCaptioner.nextImage', go('next')),
    vscode.commands.registerCommand('imageCaptioner.previousImage', go('previous')),
    vscode.commands.registerCommand('imageCaptioner.nextUncaptionedImage', go('nextUncaptioned')),
  ];
}

async function navigate(dataset: DatasetService, editors: CaptionEditorProvider, move: NavigationMove): Promise<void> {
  await dataset.whenReady();
  const index = dataset.index;
  if (!index) {
    void showInformation('Open a dataset folder first (Image Captioner: Open Dataset Folder).');
    return;
  }
  const current = editors.activeDocument;
  const target = navigationTarget(index, current?.uri.fsPath, move);
  if (!target) {
    void showInformation(move === 'nextUncaptioned' ? 'Every image has a caption.' : 'The dataset has no images.');
    return;
  }
  const targetUri = vscode.Uri.file(index.imagePath(target));
  const previousTab = current && findCaptionTab(current.uri);
  // Saved through VS Code so the editor's dirty state clears; unsaved edits otherwise keep their tab.
  let dirty = previousTab?.isDirty ?? false;
  if (current && dirty && saveOnNavigate()) dirty = (await vscode.workspace.save(current.uri)) === undefined;
  const viewColumn = previousTab?.group.viewColumn ?? vscode.window.tabGroups.activeTabGroup.viewColumn;
  await vscode.commands.executeCommand('vscode.openWith', targetUri, CAPTION_EDITOR_VIEW_TYPE, { viewColumn, preview: true });
  // The tab model reaches the extension host asynchronously, so the dirty state known here decides.
  const stale = current && current.uri.fsPath !== targetUri.fsPath ? findCaptionTab(current.uri) : undefined;
  if (stale && !dirty) await vscode.window.tabGroups.close(stale);
}

function findCaptionTab(uri: vscode.Uri): vscode.Tab | undefined {
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      if (tab.input instanceof vscode.TabInputCustom && tab.input.viewType === CAPTION_EDITOR_VIEW_TYPE && tab.input.uri.fsPath === uri.fsPath) return tab;
    }
  }
  return undefined;
}
