import * as vscode from 'vscode';
import { DatasetService } from '../services/datasetService';
import { DatasetTreeNode, DatasetTreeProvider, isImage } from '../views/datasetTreeProvider';
import { CaptionEditorProvider } from '../webviews/captionEditorProvider';
import { CAPTION_EDITOR_VIEW_TYPE } from '../webviews/captionEditorViewType';
import { activeImageUri } from './activeImage';
import { fileExists } from './fileExists';
import { parseQuery } from '../core/dataset/query';
import { showError, showInformation } from '../services/notifications';
import { inputMessageText } from '../services/plainText';

/** Opening the dataset, the caption editor, filtering and revealing images. */
export function registerDatasetCommands(
  dataset: DatasetService,
  tree: DatasetTreeProvider,
  treeView: vscode.TreeView<DatasetTreeNode>,
  editors: CaptionEditorProvider,
): vscode.Disposable[] {
  const openEditor = async (arg?: vscode.Uri | DatasetTreeNode): Promise<void> => {
    const uri = await imageUriFrom(arg, dataset, editors);
    if (uri) await vscode.commands.executeCommand('vscode.openWith', uri, CAPTION_EDITOR_VIEW_TYPE);
  };
  return [
    vscode.commands.registerCommand('imageCaptioner.openDatasetFolder', async (uri?: vscode.Uri) => {
      const folder = uri ?? (await pickFolder());
      if (!folder) return;
      await dataset.open(folder.fsPath);
      await vscode.commands.executeCommand('imageCaptioner.dataset.focus');
    }),
    vscode.commands.registerCommand('imageCaptioner.refreshDataset', () => dataset.refresh()),
    vscode.commands.registerCommand('imageCaptioner.openCaptionEditor', openEditor),
    // The explorer's context menu names the same action the way VS Code's own "Open With…" does.
    vscode.commands.registerCommand('imageCaptioner.openWithCaptionEditor', openEditor),
    vscode.commands.registerCommand('imageCaptioner.openCaptionAsText', async (arg?: vscode.Uri | DatasetTreeNode) => {
      const uri = await imageUriFrom(arg, dataset, editors, false);
      if (!uri) return;
      const doc = editors.openDocuments().find((d) => d.uri.fsPath === uri.fsPath);
      const index = dataset.index;
      const image = index?.findImage(uri.fsPath);
      const captionUri = doc?.captionUri ?? (image && index ? vscode.Uri.file(index.captionPath(image)) : undefined);
      if (!captionUri) return;
      const exists = await fileExists(captionUri);
      const target = exists ? captionUri : captionUri.with({ scheme: 'untitled' });
      await vscode.window.showTextDocument(target, { viewColumn: vscode.ViewColumn.Beside });
    }),
    vscode.commands.registerCommand('imageCaptioner.revealInDatasetView', async (arg?: vscode.Uri) => {
      await dataset.whenReady();
      const uri = arg ?? activeImageUri(editors);
      const image = uri && dataset.index?.findImage(uri.fsPath);
      if (!image) {
        void showInformation('This file is not an image of the open dataset.');
        return;
      }
      await treeView.reveal(image, { select: true, focus: true, expand: true });
    }),
    vscode.commands.registerCommand('imageCaptioner.filterDataset', async (query?: string) => {
      const value = query ?? (await vscode.window.showInputBox({
        title: 'Filter the dataset',
        prompt: 'Words in the caption or file name; caption:"red car", caption2:solo (second caption), name:*_v2*, path:cats/, tag:dog, empty, collision, chars>200, words<5, tokens>75, rating>=4; AND, OR, NOT / -term, ( ). Empty clears the filter.',
        value: tree.query,
        validateInput: (text) => {
          try {
            if (text.trim()) parseQuery(text);
            return undefined;
          } catch (err) {
            return inputMessageText((err as Error).message);
          }
        },
      }));
      if (value === undefined) return;
      try {
        await tree.setFilter(value);
      } catch (err) {
        void showError(`Filter: ${(err as Error).message}`);
        return;
      }
      updateViewTitle(dataset, tree, treeView);
    }),
    vscode.commands.registerCommand('imageCaptioner.clearDatasetFilter', async () => {
      await tree.setFilter('');
      updateViewTitle(dataset, tree, treeView);
    }),
    dataset.onDidChange(() => updateViewTitle(dataset, tree, treeView)),
  ];
}

/** "N images, M captioned" in the view's title; the filter and its match count in its message. */
export function updateViewTitle(dataset: DatasetService, tree: DatasetTreeProvider, treeView: vscode.TreeView<DatasetTreeNode>): void {
  const index = dataset.index;
  if (!index || dataset.state === 'indexing') {
    treeView.title = 'Dataset';
    treeView.message = undefined;
    return;
  }
  const counts = index.counts();
  // The title, not the description: VS Code hides a view's description when it is the only view of its container.
  treeView.title = `${counts.images.toLocaleString('en-US')} images, ${counts.captioned.toLocaleString('en-US')} captioned`;
  treeView.message = tree.query ? `Filter "${tree.query}": ${tree.visibleImages().length} of ${counts.images} images` : tree.nextStepHint?.();
}

async function pickFolder(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Open Dataset' });
  return picked?.[0];
}

/** The image a command is about: its argument (explorer file, dataset view item), the image in front, or (when `ask`) the first uncaptioned one. */
export async function imageUriFrom(arg: vscode.Uri | DatasetTreeNode | undefined, dataset: DatasetService, editors: CaptionEditorProvider, ask = true): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  if (arg && isImage(arg) && dataset.index) return vscode.Uri.file(dataset.index.imagePath(arg));
  const active = activeImageUri(editors);
  if (active) return active;
  if (!ask) return undefined;
  await dataset.whenReady();
  const index = dataset.index;
  if (!index || index.size === 0) {
    void showInformation('Open a dataset folder with images first.');
    return undefined;
  }
  const first = index.nextUncaptioned(undefined) ?? index.at(0)!;
  return vscode.Uri.file(index.imagePath(first));
}
