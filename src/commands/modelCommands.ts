import * as vscode from 'vscode';
import { ApiKeys } from '../providers/apiKeys';
import { CaptioningService } from '../services/captioningService';
import type { KeyDestinationGate } from '../services/keyDestinationGate';
import { labelText } from '../services/plainText';
import { CaptionEditorProvider } from '../webviews/captionEditorProvider';
import { showInformation } from '../services/notifications';

/** Keys, model choice, and generation in the caption editor from the palette or title bar. */
export function registerModelCommands(captioning: CaptioningService, editors: CaptionEditorProvider): vscode.Disposable[] {
  const keyNames = (): string[] => [...new Set(['nvidia', 'huggingface', 'openai', ...captioning.registry.all().map((m) => m.key)])].filter((k) => k !== 'none');
  const pickKey = (title: string): Thenable<{ label: string; key: string } | undefined> =>
    vscode.window.showQuickPick(keyNames().map((key) => ({ label: labelText(ApiKeys.label(key)), key })), { title });
  return [
    vscode.commands.registerCommand('imageCaptioner.setApiKey', async (keyName?: string) => {
      const key = keyName ?? (await pickKey(vscode.l10n.t('Set the API key of which service?')))?.key;
      if (!key) return;
      if (await captioning.askForKey(key)) void showInformation(vscode.l10n.t("API key for {0} saved in VS Code's secret storage.", ApiKeys.label(key)));
    }),
    vscode.commands.registerCommand('imageCaptioner.clearApiKey', async () => {
      const picked = await pickKey(vscode.l10n.t('Forget the stored API key of which service?'));
      if (!picked) return;
      await captioning.keys.clear(picked.key);
      void showInformation(vscode.l10n.t('Stored API key for {0} removed.', ApiKeys.label(picked.key)));
    }),
    vscode.commands.registerCommand('imageCaptioner.forgetKeyDestinations', () => forgetKeyDestinations(captioning.keyGate)),
    vscode.commands.registerCommand('imageCaptioner.selectModel', () => captioning.pickModel()),
    vscode.commands.registerCommand('imageCaptioner.generateCaption', (modelIds?: string[]) => editors.generateInActiveEditor(modelIds)),
    vscode.commands.registerCommand('imageCaptioner.compareModels', (modelIds?: string[]) =>
      modelIds?.length ? editors.generateInActiveEditor(modelIds) : editors.compareInActiveEditor(),
    ),
    vscode.commands.registerCommand('imageCaptioner.showCaptioningLog', () => captioning.log.show()),
  ];
}

/** Lists the approved (key, origin) pairs; the picked ones are forgotten, so their next request asks again. */
async function forgetKeyDestinations(gate: KeyDestinationGate): Promise<number> {
  const approved = gate.approved();
  if (approved.length === 0) {
    void showInformation(vscode.l10n.t('No API key has been approved for a host other than its own.'));
    return 0;
  }
  const picked = await vscode.window.showQuickPick(
    approved.map((pair) => ({ label: labelText(pair.origin), description: ApiKeys.label(pair.key), picked: true, pair })),
    { title: vscode.l10n.t('Forget which approved API key destinations?'), canPickMany: true },
  );
  if (!picked?.length) return 0;
  const forgotten = await gate.forget(picked.map((p) => p.pair));
  void showInformation(forgotten === 1 ? vscode.l10n.t('Forgot 1 approved API key destination; the next request there asks again.') : vscode.l10n.t('Forgot {0} approved API key destinations; the next request there asks again.', forgotten));
  return forgotten;
}
