import * as vscode from 'vscode';
import type { ConnectionFix, ConnectionTestResult } from '../providers/connectionTest';
import type { ModelEntry } from '../providers/types';
import type { CaptioningService } from '../services/captioningService';
import { showError, showInformation, withNotificationProgress } from '../services/notifications';
import { explainUntrusted } from '../services/workspaceTrust';

export const TEST_CONNECTION_COMMAND = 'imageCaptioner.testModelConnection';

/** Why the test sent nothing before it began (the answer itself is a ConnectionTestResult). */
export type ConnectionTestRefusal = { readonly refused: 'untrusted' | 'destination-declined' | 'no-model' };

/**
 * "Test Model Connection…": pick a model (or take the id given), send one small request with
 * progress, and show the answer with a button for its fix. Returns the answer for tests and callers.
 */
export function registerConnectionTestCommand(captioning: CaptioningService): vscode.Disposable {
  return vscode.commands.registerCommand(TEST_CONNECTION_COMMAND, async (modelId?: string): Promise<ConnectionTestResult | ConnectionTestRefusal> => {
    const model = typeof modelId === 'string' ? captioning.registry.find(modelId) : await captioning.pickModel(vscode.l10n.t('Test the connection to which model?'));
    if (!model) {
      if (typeof modelId === 'string') void showError(vscode.l10n.t('No model "{0}" is known: pick one from "Image Captioner: Select Captioning Model…", or add it to imageCaptioner.models.', modelId));
      return { refused: 'no-model' };
    }
    if (!vscode.workspace.isTrusted) {
      void explainUntrusted(vscode.l10n.t('Nothing was sent to {0}: this workspace is not trusted, and Image Captioner sends no request from it.', model.label));
      return { refused: 'untrusted' };
    }
    // a key goes only where it may (asked once for a pairing the user has not approved); no key: the answer says so, nothing leaves
    const hasKey = model.key !== 'none' && Boolean(await captioning.keys.get(model.key));
    if (hasKey && !(await captioning.keyGate.allow(model))) return { refused: 'destination-declined' };
    const result = await withNotificationProgress({ title: vscode.l10n.t('Testing {0}…', model.label), cancellable: true }, (_progress, token) => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      return captioning.testConnection(model, controller.signal).finally(() => subscription.dispose());
    });
    void showAnswer(model, result);
    return result;
  });
}

/** The answer as a notification whose buttons are the fixes; a click runs the fix. */
async function showAnswer(model: ModelEntry, result: ConnectionTestResult): Promise<void> {
  if (result.ok) {
    await showInformation(vscode.l10n.t('{0} answered in {1} ms: "{2}"', model.label, result.latencyMs, result.reply));
    return;
  }
  if (result.problem === 'cancelled') return;
  const buttons = result.fixes.map((fix) => ({ fix, label: fixLabel(fix) }));
  const message = result.detail ? `${result.summary} ${result.detail}` : result.summary;
  const picked = await showError(message, ...buttons.map((b) => b.label));
  const fix = buttons.find((b) => b.label === picked)?.fix;
  if (fix) await runFix(fix, model);
}

function fixLabel(fix: ConnectionFix): string {
  switch (fix) {
    case 'set-key':
      return vscode.l10n.t('Set API Key…');
    case 'edit-model':
      return vscode.l10n.t('Edit Model');
    case 'open-settings':
      return vscode.l10n.t('Open Settings');
    case 'retry':
      return vscode.l10n.t('Retry');
  }
}

async function runFix(fix: ConnectionFix, model: ModelEntry): Promise<void> {
  switch (fix) {
    case 'set-key':
      await vscode.commands.executeCommand('imageCaptioner.setApiKey', model.key);
      return;
    case 'edit-model':
      // base URL, model id and key name live in the model's entry: the setting that holds the user's entries
      await vscode.commands.executeCommand('workbench.action.openSettings', 'imageCaptioner.models');
      return;
    case 'open-settings':
      await vscode.commands.executeCommand('workbench.action.openSettings', 'imageCaptioner.generation.timeoutSeconds');
      return;
    case 'retry':
      await vscode.commands.executeCommand(TEST_CONNECTION_COMMAND, model.id);
      return;
  }
}
