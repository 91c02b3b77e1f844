import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EvaluationReport } from '../core/evaluation/evaluationReport';
import { writeFileAtomic } from '../core/captions/atomicWrite';
import type { DatasetService } from '../services/datasetService';
import { CAPTION_EDITOR_VIEW_TYPE } from './captionEditorViewType';
import { reportExportBytes } from '../core/evaluation/reportExport';
import { askExportFile, type ExportKind } from './evaluationExports';
import { saveExploreCaption, type CaptionSaveDeps } from './exploreCaptionSave';
import type { FromEvaluationWebview, ReportExport, ToEvaluationWebview } from './protocol/evaluationMessages';
import { loadWebview } from './webviewLoader';

/** What an evaluation report panel works with; built once in extension.ts. */
export interface EvaluationPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly dataset: DatasetService;
  /** The normal caption path ("Use this caption" writes through it, as the Explore gallery does). */
  readonly saves: CaptionSaveDeps;
  readonly log: vscode.LogOutputChannel;
}

/** The PNG signature: bytes from the webview must be a PNG before they are written anywhere. */
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * The host side of one evaluation report panel: shows a report (and which file it came from, so a
 * reload shows it again), writes a model's caption through the normal caption path, opens images,
 * and saves the exports the webview asks for.
 */
export class EvaluationPanel implements vscode.Disposable {
  private report?: EvaluationReport;
  private reportFile?: string;
  private ready = false;
  /** Whether a page was given to the webview yet. */
  private loaded = false;
  /** An error to show once the page is ready (a restored panel whose report cannot be read). */
  private pendingError?: string;
  private roots = '';
  /** Caption writes run one at a time, in the order asked. */
  private using: Promise<void> = Promise.resolve();
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: EvaluationPanelDeps,
  ) {
    this.disposables.push(
      panel.webview.onDidReceiveMessage((msg: FromEvaluationWebview) => this.handle(msg)),
      panel.onDidDispose(() => this.dispose()),
    );
    // The page is loaded once the report (and so its dataset folder, a resource root) is known:
    // loading an empty page and replacing it at once lost the second page on VS Code 1.99.
  }

  /** The report shown and its file, if any (the integration suite reads them). */
  get shown(): { readonly report: EvaluationReport; readonly file: string } | undefined {
    return this.report && this.reportFile ? { report: this.report, file: this.reportFile } : undefined;
  }

  /** Whether the webview has said `ready` since it last loaded. */
  get isReady(): boolean {
    return this.ready;
  }

  /** Shows `report` (read from `file`); the webview reloads when the report's dataset folder is new to it. */
  show(report: EvaluationReport, file: string): void {
    this.report = report;
    this.reportFile = file;
    this.panel.title = `Evaluation Report · ${report.models.map((m) => m.label).join(' vs ')}`;
    if (!this.loaded || this.rootsKey() !== this.roots) this.load();
    else if (this.ready) this.postReport();
  }

  /** Shows a message in the panel (a report that could not be read). */
  showError(message: string): void {
    if (!this.loaded) {
      this.pendingError = message;
      this.load();
      return;
    }
    this.post({ type: 'error', message });
  }

  /** Writes an export to `file` (the save dialog's answer; tests name it directly). */
  async exportTo(what: ReportExport, file: string): Promise<void> {
    if (!this.report) throw new Error('No report is shown.');
    await writeFileAtomic(file, reportExportBytes(this.report, what));
  }

  private load(): void {
    this.loaded = true;
    this.ready = false;
    this.roots = this.rootsKey();
    const roots = [vscode.Uri.joinPath(this.deps.extensionUri, 'dist'), vscode.Uri.joinPath(this.deps.extensionUri, 'media')];
    if (this.report) roots.push(vscode.Uri.file(this.report.datasetRoot));
    this.panel.webview.options = { enableScripts: true, localResourceRoots: roots };
    loadWebview(this.panel, { extensionUri: this.deps.extensionUri, app: 'evaluation', title: 'Evaluation Report', what: 'The evaluation report', log: this.deps.log });
  }

  private rootsKey(): string {
    return this.report?.datasetRoot ?? '';
  }

  private handle(msg: FromEvaluationWebview): void {
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        if (this.report) this.postReport();
        else if (this.pendingError !== undefined) this.post({ type: 'error', message: this.pendingError });
        return;
      case 'useCaption':
        this.using = this.using.then(() => this.useCaption(msg.path, msg.modelId));
        return;
      case 'openImage':
        void this.openImage(msg.path);
        return;
      case 'export':
        void this.saveExport(msg.what, () => reportExportBytes(this.report!, msg.what));
        return;
      case 'exportChart':
        void this.saveExport('chartPng', () => checkedPng(msg.png));
        return;
    }
  }

  private postReport(): void {
    const report = this.report!;
    const imageBase = this.panel.webview.asWebviewUri(vscode.Uri.file(report.datasetRoot)).toString();
    this.post({ type: 'report', report, reportFile: this.reportFile!, imageBase, readOnly: this.whyReadOnly(report) });
  }

  /** Why captions of this report cannot be written now (another dataset is open), or undefined. */
  private whyReadOnly(report: EvaluationReport): string | undefined {
    const root = this.deps.dataset.rootPath;
    if (root && path.resolve(root) === path.resolve(report.datasetRoot)) return undefined;
    return `This report is of ${report.datasetRoot}; open that folder as the dataset to use its captions.`;
  }

  private async useCaption(relPath: string, modelId: string): Promise<void> {
    const fail = (error: string): void => this.post({ type: 'captionUseFailed', path: relPath, modelId, error });
    const report = this.report;
    const text = report?.images.find((i) => i.path === relPath)?.captions[modelId]?.text;
    if (!report || text === undefined) return fail('This report has no such caption.');
    await this.deps.dataset.whenReady();
    const readOnly = this.whyReadOnly(report);
    const index = this.deps.dataset.index;
    if (readOnly || !index) return fail(readOnly ?? 'The dataset is not open any more.');
    const image = index.findImage(path.join(index.rootPath, ...relPath.split('/')));
    if (!image) return fail(`${relPath} is not in the dataset any more.`);
    try {
      await saveExploreCaption(image, text, this.deps.saves);
      this.post({ type: 'captionUsed', path: relPath, modelId });
    } catch (err) {
      this.deps.log.warn(`Evaluation report: could not use the caption of ${relPath}: ${(err as Error).message}`);
      fail((err as Error).message);
    }
  }

  private async openImage(relPath: string): Promise<void> {
    const report = this.report;
    // Only images the report names: a message names a path, never an arbitrary file.
    const known = report?.images.some((i) => i.path === relPath) || report?.models.some((m) => m.bias.mismatches.some((x) => x.path === relPath));
    if (!report || !known) return this.fail('Open image', new Error('This report names no such image.'));
    const file = path.join(report.datasetRoot, ...relPath.split('/'));
    const inside = path.relative(report.datasetRoot, file);
    if (!inside || inside.startsWith('..') || path.isAbsolute(inside)) return this.fail('Open image', new Error(`${relPath} is not inside the report's dataset folder.`));
    try {
      await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(file), CAPTION_EDITOR_VIEW_TYPE, { viewColumn: vscode.ViewColumn.Beside });
    } catch (err) {
      this.fail('Open image', err);
    }
  }

  private async saveExport(kind: ExportKind, bytes: () => Uint8Array): Promise<void> {
    if (!this.report) return;
    try {
      const data = bytes();
      const file = await askExportFile(this.report, kind);
      if (!file) return;
      await writeFileAtomic(file, data);
      this.post({ type: 'status', message: `Saved ${file}` });
    } catch (err) {
      this.fail('Export', err);
    }
  }

  private fail(what: string, err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.deps.log.error(`Evaluation report: ${what}: ${message}`);
    this.post({ type: 'error', message: `${what}: ${message}` });
  }

  private post(message: ToEvaluationWebview): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}

/** The chart's bytes, refused unless they are a PNG (they come from the webview). */
function checkedPng(png: unknown): Uint8Array {
  const bytes = png instanceof Uint8Array ? png : undefined;
  if (!bytes || bytes.length < PNG_SIGNATURE.length || PNG_SIGNATURE.some((b, i) => bytes[i] !== b)) throw new Error('The chart did not come back as a PNG image.');
  return bytes;
}
