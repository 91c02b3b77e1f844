import * as vscode from 'vscode';
import type { DatasetService } from '../services/datasetService';
import type { DatasetTreeNode } from '../views/datasetTreeProvider';
import type { CaptionEditorProvider } from '../webviews/captionEditorProvider';
import { REGION_EDITOR_VIEW_TYPE } from '../webviews/regionEditorViewType';
import { imageUriFrom } from './datasetCommands';

/** "Edit Regions…": the region editor of an image from the explorer, the dataset view, the caption editor or the palette. */
export function registerRegionCommands(dataset: DatasetService, editors: CaptionEditorProvider): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('imageCaptioner.editRegions', async (arg?: vscode.Uri | DatasetTreeNode) => {
      const uri = await imageUriFrom(arg, dataset, editors);
      if (uri) await vscode.commands.executeCommand('vscode.openWith', uri, REGION_EDITOR_VIEW_TYPE);
    }),
  ];
}
