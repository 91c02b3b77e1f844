import * as vscode from 'vscode';
import type { EvaluationReport } from '../core/evaluation/evaluationReport';
import { readReport } from '../core/evaluation/reportFile';
import { EvaluationPanel, type EvaluationPanelDeps } from './evaluationPanel';
import { EVALUATION_VIEW_TYPE } from './evaluationViewType';
import type { EvaluationViewState } from './protocol/evaluationMessages';

/** The evaluation report panel: one at a time (a new report replaces the one shown), restored after a reload. */
export class EvaluationPanels implements vscode.Disposable {
  private current?: EvaluationPanel;

  constructor(private readonly deps: EvaluationPanelDeps) {}

  /** The open panel, if any (the integration suite drives it). */
  get panel(): EvaluationPanel | undefined {
    return this.current;
  }

  /** Shows `report`, read from `reportFile`, in the panel (opened, or revealed). "Evaluate Models…" calls this when a run ends. */
  show(report: EvaluationReport, reportFile: string): EvaluationPanel {
    if (this.current) this.current.panel.reveal();
    else this.adopt(vscode.window.createWebviewPanel(EVALUATION_VIEW_TYPE, 'Evaluation Report', vscode.ViewColumn.Active, { enableScripts: true }));
    this.current!.show(report, reportFile);
    return this.current!;
  }

  /** Reads the report in `file` and shows it; throws the reader's error (it names the problem). */
  async open(file: string): Promise<EvaluationPanel> {
    return this.show(await readReport(file), file);
  }

  /** A panel VS Code restores after a reload: it shows the report file its webview kept in its state. */
  async revive(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    this.current?.dispose();
    const restored = this.adopt(panel);
    const file = (state as EvaluationViewState | undefined)?.reportFile;
    if (typeof file !== 'string') return restored.showError('This panel had no report: run "Image Captioner: Open Last Evaluation Report".');
    try {
      restored.show(await readReport(file), file);
    } catch (err) {
      restored.showError(`Could not read the report ${file}: ${(err as Error).message}`);
    }
  }

  private adopt(panel: vscode.WebviewPanel): EvaluationPanel {
    const shown = new EvaluationPanel(panel, this.deps);
    this.current = shown;
    panel.onDidDispose(() => {
      if (this.current === shown) this.current = undefined;
    });
    return shown;
  }

  dispose(): void {
    this.current?.dispose();
  }
}
