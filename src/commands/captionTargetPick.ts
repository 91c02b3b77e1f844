import * as vscode from 'vscode';
import type { DatasetIndex } from '../core/dataset/datasetIndex';
import type { CaptionTarget } from '../core/dataset/captionTarget';

/**
 * Which caption a batch or bulk edit works on: the caption unless the dataset has second captions
 * (imageCaptioner.secondCaption.extension), then `given` (a command's argument) or the user's answer.
 */
export async function pickCaptionTarget(index: DatasetIndex, title: string, given?: unknown): Promise<CaptionTarget | undefined> {
  const second = index.options.secondCaptionExtension;
  if (!second) return 'caption';
  if (given === 'caption' || given === 'second') return given;
  const items: Array<vscode.QuickPickItem & { target: CaptionTarget }> = [
    { label: 'Caption', description: index.options.captionExtension, target: 'caption' },
    { label: 'Second caption', description: second, target: 'second' },
  ];
  return (await vscode.window.showQuickPick(items, { title: `${title}: which caption file?` }))?.target;
}
