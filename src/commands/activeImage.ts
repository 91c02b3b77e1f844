import * as vscode from 'vscode';
import * as path from 'node:path';
import { isImageName } from '../core/dataset/imageFiles';
import { readIndexOptions } from '../settings';
import type { CaptionEditorProvider } from '../webviews/captionEditorProvider';

/**
 * The image the user is looking at: the active tab's when it shows an image file (the caption editor,
 * VS Code's image preview or any other custom editor, an image opened as text), else the caption
 * editor that was active last. VS Code gives extensions no explorer selection: a command run from
 * the explorer's context menu receives its file as an argument instead.
 */
export function activeImageUri(editors: CaptionEditorProvider): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  const shown = input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText ? input.uri : undefined;
  if (shown && shown.scheme === 'file' && isImageName(path.basename(shown.fsPath), readIndexOptions().imageExtensions)) return shown;
  return editors.activeDocument?.uri;
}
