import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EvaluationReport } from '../core/evaluation/evaluationReport';
import type { ReportExport } from './protocol/evaluationMessages';

/** What the panel can save: the report's three tables and the chart. */
export type ExportKind = ReportExport | 'chartPng';

const FILES: Readonly<Record<ExportKind, { readonly suffix: string; readonly filters: Record<string, string[]>; readonly title: string }>> = {
  imagesCsv: { suffix: '-images.csv', filters: { CSV: ['csv'] }, title: 'Export the evaluation (per image) as CSV' },
  summaryCsv: { suffix: '-summary.csv', filters: { CSV: ['csv'] }, title: 'Export the evaluation summary as CSV' },
  json: { suffix: '.json', filters: { JSON: ['json'] }, title: 'Export the evaluation report as JSON' },
  chartPng: { suffix: '-chart.png', filters: { 'PNG image': ['png'] }, title: 'Export the evaluation chart as PNG' },
};

/** Asks where to save an export (beside the dataset folder at first, never inside it); undefined when the user cancels. */
export async function askExportFile(report: EvaluationReport, kind: ExportKind): Promise<string | undefined> {
  const file = FILES[kind];
  const name = `evaluation-${report.id.replace(/[^\w.-]+/g, '_')}${file.suffix}`;
  const uri = await vscode.window.showSaveDialog({
    title: file.title,
    saveLabel: 'Export',
    defaultUri: vscode.Uri.file(path.join(path.dirname(report.datasetRoot), name)),
    filters: file.filters,
  });
  return uri?.fsPath;
}
