import * as vscode from 'vscode';
import * as path from 'node:path';
import { DatasetService } from '../services/datasetService';
import { DatasetTreeNode, isImage } from '../views/datasetTreeProvider';
import { isImageName, stemKey } from '../core/dataset/imageFiles';
import { claimedSidecarNames, sidecarName } from '../core/dataset/sidecars';
import { MAX_CAPTION_BYTES } from '../core/captions/captionStore';
import { readRegularFile } from '../core/files/regularFile';
import { CAPTION_EDITOR_VIEW_TYPE } from '../webviews/captionEditorViewType';
import { showError } from '../services/notifications';
import { fileExists } from './fileExists';

/** Resolves a collision: renames one image (optionally copying the shared caption file to it). */
export function registerRenameImageCommand(dataset: DatasetService): vscode.Disposable {
  return vscode.commands.registerCommand('imageCaptioner.renameImage', async (arg?: vscode.Uri | DatasetTreeNode) => {
    const index = dataset.index;
    const uri = arg instanceof vscode.Uri ? arg : arg && isImage(arg) && index ? vscode.Uri.file(index.imagePath(arg)) : undefined;
    if (!uri || !index) return;
    const dir = path.dirname(uri.fsPath);
    const name = path.basename(uri.fsPath);
    const ext = path.extname(name);
    const { captionExtension, secondCaptionExtension, caseInsensitiveStems } = index.options;
    const fold = (n: string): string => (caseInsensitiveStems ? n.toLowerCase() : n);
    const files = (await vscode.workspace.fs.readDirectory(vscode.Uri.file(dir))).map(([n]) => n);
    const taken = new Set(files.map((n) => stemKey(n, caseInsensitiveStems)));
    // A name whose caption files exist or are another image's (`b.png` beside `b.tags.png`: b.tags.txt) would collide again.
    const otherImages = files.filter((n) => n !== name && isImageName(n, index.options.imageExtensions));
    const claimed = new Set([...files, ...otherImages.flatMap((n) => claimedSidecarNames(n, captionExtension, secondCaptionExtension))].map(fold));
    const isFree = (candidate: string): boolean =>
      !taken.has(stemKey(candidate, caseInsensitiveStems)) && !claimedSidecarNames(candidate, captionExtension, secondCaptionExtension).some((n) => claimed.has(fold(n)));
    const suggestion = freeName(name, isFree);
    const newName = await vscode.window.showInputBox({
      title: `Rename ${name}`,
      prompt: 'A new name with a stem no other file in this folder uses, so the image gets its own caption file.',
      value: suggestion,
      valueSelection: [0, suggestion.length - ext.length],
      validateInput: (value) => {
        if (!value.trim() || /[\\/]/.test(value) || value === '.' || value === '..') return 'Enter a file name without folders.';
        if (!isFree(value)) return 'Another file in this folder already uses this name stem, or one of its caption files.';
        return undefined;
      },
    });
    if (!newName) return;
    // The file the collision is about: the caption, or the second caption (`a.png`'s a.tags.txt, a.tags.png's caption).
    const image = index.findImage(uri.fsPath);
    const clash = image && index.collisionOf(image);
    const sharedSuffix = clash && secondCaptionExtension && fold(clash.file) === fold(sidecarName(name, secondCaptionExtension)) ? secondCaptionExtension : captionExtension;
    const sharedCaption = vscode.Uri.file(path.join(dir, sidecarName(name, sharedSuffix)));
    const hasCaption = await fileExists(sharedCaption);
    const copy = hasCaption
      ? await vscode.window.showQuickPick(['Copy the shared caption to the renamed image', 'Start the renamed image without a caption'], { title: 'Caption of the renamed image' })
      : undefined;
    if (hasCaption && !copy) return;
    const edit = new vscode.WorkspaceEdit();
    const target = vscode.Uri.file(path.join(dir, newName));
    edit.renameFile(uri, target, { overwrite: false });
    if (copy?.startsWith('Copy')) {
      const newCaption = vscode.Uri.file(path.join(dir, sidecarName(newName, sharedSuffix)));
      // Read as any caption is: a regular file inside the dataset, within the caption size limit.
      const contents = await readRegularFile(sharedCaption.fsPath, MAX_CAPTION_BYTES, index.boundary).catch((err: Error) => err);
      if (contents instanceof Error || contents === undefined) {
        void showError(`The shared caption cannot be copied: ${contents instanceof Error ? contents.message : 'it no longer exists'}. Nothing was renamed.`);
        return;
      }
      edit.createFile(newCaption, { contents, overwrite: false });
    }
    const wasOpen = captionEditorTabs(uri);
    if (!(await vscode.workspace.applyEdit(edit, { isRefactoring: false }))) {
      void showError(`Could not rename ${name} to ${newName}.`);
      return;
    }
    await dataset.refresh();
    // An editor of the old name would show a file that no longer exists: show the new one instead.
    if (wasOpen.length > 0) {
      await vscode.window.tabGroups.close(captionEditorTabs(uri));
      await vscode.commands.executeCommand('vscode.openWith', target, CAPTION_EDITOR_VIEW_TYPE);
    }
  });
}

function captionEditorTabs(uri: vscode.Uri): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputCustom && t.input.viewType === CAPTION_EDITOR_VIEW_TYPE && t.input.uri.fsPath === uri.fsPath);
}

function freeName(name: string, isFree: (candidate: string) => boolean): string {
  const ext = path.extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 2; ; n++) {
    const candidate = `${stem}_${n}${ext}`;
    if (isFree(candidate)) return candidate;
  }
}
