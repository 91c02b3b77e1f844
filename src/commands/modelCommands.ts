import * as vscode from 'vscode';
import { ApiKeys } from '../providers/apiKeys';
import { CaptioningService } from '../services/captioningService';
import { CaptionEditorProvider } from '../webviews/captionEditorProvider';
import { showInformation } from '../services/notifications';

/** Keys, model choice, and generation in the caption editor from the palette or title bar. */
export function registerModelCommands(captioning: CaptioningService, editors: CaptionEditorProvider): vscode.Disposable[] {
  const keyNames = (): string[] => [...new Set(['nvidia', 'huggingface', 'openai', ...captioning.registry.all().map((m) => m.key)])].filter((k) => k !== 'none');
  const pickKey = (title: string): Thenable<{ label: string; key: string } | undefined> =>
    vscode.window.showQuickPick(keyNames().map((key) => ({ label: ApiKeys.label(key), key })), { title });
  return [
    vscode.commands.registerCommand('imageCaptioner.setApiKey', async (keyName?: string) => {
      const key = keyName ?? (await pickKey('Set the API key of which service?'))?.key;
      if (!key) return;
      if (await captioning.askForKey(key)) void showInformation(`API key for ${ApiKeys.label(key)} saved in VS Code's secret storage.`);
    }),
    vscode.commands.registerCommand('imageCaptioner.clearApiKey', async () => {
      const picked = await pickKey('Forget the stored API key of which service?');
      if (!picked) return;
      await captioning.keys.clear(picked.key);
      void showInformation(`Stored API key for ${picked.label} removed.`);
    }),
    vscode.commands.registerCommand('imageCaptioner.selectModel', () => captioning.pickModel('Caption with which model?')),
    vscode.commands.registerCommand('imageCaptioner.generateCaption', (modelIds?: string[]) => editors.generateInActiveEditor(modelIds)),
    vscode.commands.registerCommand('imageCaptioner.compareModels', (modelIds?: string[]) =>
      modelIds?.length ? editors.generateInActiveEditor(modelIds) : editors.compareInActiveEditor(),
    ),
    vscode.commands.registerCommand('imageCaptioner.showCaptioningLog', () => captioning.log.show()),
  ];
}
