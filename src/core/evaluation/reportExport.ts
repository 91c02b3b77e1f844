/** The bytes of a report's exports: the two CSV tables of reportCsv.ts, or the report itself as JSON in report.json's own format. */
import type { EvaluationReport, ReportTextExport } from './evaluationReport';
import { reportImagesCsv, reportSummaryCsv } from './reportCsv';
import { reportJson } from './reportFile';

/** The bytes of an export of `report` (UTF-8). */
export function reportExportBytes(report: EvaluationReport, what: ReportTextExport): Uint8Array {
  const text = what === 'imagesCsv' ? reportImagesCsv(report) : what === 'summaryCsv' ? reportSummaryCsv(report) : reportJson(report);
  return Buffer.from(text, 'utf8');
}
