import * as path from 'node:path';
import * as vscode from 'vscode';
import { listReports } from '../core/evaluation/reportFile';
import type { EvaluationPanels } from '../webviews/evaluationPanels';
import { EVALUATION_VIEW_TYPE } from '../webviews/evaluationViewType';
import { showError, showInformation } from '../services/notifications';

/** Where "Evaluate Models…" keeps its reports: `<workspace storage>/evaluations/<id>/report.json` (the extension's storage without a workspace). */
export function evaluationsFolder(context: vscode.ExtensionContext): string {
  return path.join((context.storageUri ?? context.globalStorageUri).fsPath, 'evaluations');
}

/**
 * The report file "Open Last Evaluation Report" opens: the argument's (a Uri or a path), else the
 * newest readable report in the workspace storage; undefined when there is none.
 */
async function reportToOpen(arg: unknown, folder: string): Promise<string | undefined> {
  if (arg instanceof vscode.Uri) return arg.fsPath;
  if (typeof arg === 'string' && arg) return arg;
  const listing = await listReports(folder);
  const newest = listing.reports[0]?.file;
  // Reports that exist but cannot be read are named, never passed over as "no report".
  if (!newest && listing.unreadable.length) throw new Error(listing.unreadable[0].reason);
  return newest;
}

/** "Open Last Evaluation Report" and the panel's serializer. */
export function registerEvaluationReportCommands(panels: EvaluationPanels, folder: string): vscode.Disposable[] {
  return [
    panels,
    vscode.commands.registerCommand('imageCaptioner.evaluate.openReport', async (arg?: unknown) => {
      try {
        const file = await reportToOpen(arg, folder);
        if (!file) {
          void showInformation('No evaluation report yet: run "Image Captioner: Evaluate Models…" to compare models on a sample of this dataset.');
          return undefined;
        }
        return await panels.open(file);
      } catch (err) {
        void showError(`Could not open the evaluation report: ${(err as Error).message}`);
        return undefined;
      }
    }),
    vscode.window.registerWebviewPanelSerializer(EVALUATION_VIEW_TYPE, { deserializeWebviewPanel: (panel, state) => panels.revive(panel, state) }),
  ];
}
