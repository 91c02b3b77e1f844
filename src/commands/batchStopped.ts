import * as vscode from 'vscode';
import type { BatchSummary } from '../core/captioning/batchTypes';
import type { BatchStop } from '../core/captioning/failFast';
import type { ModelEntry } from '../providers/types';
import { showError } from '../services/notifications';

/** The one message of a batch that stopped itself: why (the last error names host and step) and what is left. */
export function stoppedText(summary: BatchSummary, stop: BatchStop): string {
  const reason = /[.!?]$/.test(stop.reason) ? stop.reason : `${stop.reason}.`;
  const left = summary.pending + summary.failed;
  return (
    `Captioning stopped after ${stop.failures} failed requests in a row: ${reason} ` +
    `${summary.written} written, ${summary.failed} failed, ${summary.pending} not sent; Retry continues the ${left} left.`
  );
}

/**
 * Shows why a batch stopped, with Retry (runs what is left of the job), Open Settings (the model
 * entries, where the base URL and NVCF host live) and, for a refused key, Set API Key.
 */
export function showStopped(summary: BatchSummary, stop: BatchStop, model: ModelEntry, retry: () => void): void {
  const keyAction = stop.errorKind === 'auth' && model.key !== 'none' ? ['Set API Key'] : [];
  void showError(stoppedText(summary, stop), 'Retry', ...keyAction, 'Open Settings').then((choice) => {
    if (choice === 'Retry') retry();
    else if (choice === 'Set API Key') void vscode.commands.executeCommand('imageCaptioner.setApiKey', model.key);
    else if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'imageCaptioner.models');
  });
}
