/**
 * The report store: `<evaluations>/<report id>/report.json`, written atomically, read back with a
 * bounded read of a regular file and checked field by field before anyone trusts it.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeFileAtomic } from '../captions/atomicWrite';
import { DatasetBoundary, OutsideDatasetError } from '../files/datasetBoundary';
import { readRegularFile } from '../files/regularFile';
import { pathTaken } from '../files/pathTaken';
import type { EvaluationReport } from './evaluationReport';
import { checkReportShape } from './reportShape';

/** The file name of a report inside its folder. */
export const REPORT_FILE_NAME = 'report.json';

/** Reports larger than this are refused (10,000 images × several models is a few MB). */
export const MAX_REPORT_BYTES = 64 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A report read from disk with the file it came from. */
export interface StoredReport {
  readonly report: EvaluationReport;
  readonly file: string;
}

/** What `listReports` found: readable reports newest first, and the files that could not be read, with why. */
export interface ReportListing {
  readonly reports: readonly StoredReport[];
  readonly unreadable: readonly { readonly file: string; readonly reason: string }[];
}

/** A new report id: sortable by time, unique, safe as a folder name. */
export function newReportId(now = new Date()): string {
  return `${now.toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
}

/** A report as JSON text: one format for report.json and the panel's JSON export (1-space indent, a final newline). */
export function reportJson(report: EvaluationReport): string {
  return `${JSON.stringify(report, undefined, 1)}\n`;
}

/** Writes `report` as `<folder>/report.json` (temp file + rename, the folder made if needed); returns the file. */
export async function writeReport(folder: string, report: EvaluationReport): Promise<string> {
  await fs.mkdir(folder, { recursive: true });
  const file = path.join(folder, REPORT_FILE_NAME);
  await writeFileAtomic(file, Buffer.from(reportJson(report), 'utf8'));
  return file;
}

/** Reads and checks a report; throws a plain Error naming the file and the problem (missing, not a file, too large, not UTF-8, not JSON, wrong shape). */
export async function readReport(file: string): Promise<EvaluationReport> {
  let bytes: Buffer | undefined;
  try {
    bytes = await readRegularFile(file, MAX_REPORT_BYTES);
  } catch (err) {
    throw new Error(`Cannot read the evaluation report ${file}: ${(err as Error).message}`);
  }
  if (!bytes) throw new Error(`The evaluation report ${file} does not exist.`);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new Error(`The evaluation report ${file} is not UTF-8 text.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`The evaluation report ${file} is not valid JSON (${(err as Error).message}).`);
  }
  try {
    return checkReportShape(value);
  } catch (err) {
    throw new Error(`The evaluation report ${file} is not a report this version can show: ${(err as Error).message}.`);
  }
}

/**
 * Reads the report `file` only when it is a run's report.json under `evaluationsFolder`
 * (`<evaluationsFolder>/<run>/report.json`, links resolved): resuming writes beside it and deletes
 * the journals there, so a path handed to the command from elsewhere must never become that folder.
 */
export async function readStoredReport(evaluationsFolder: string, file: string): Promise<StoredReport> {
  const resolved = path.resolve(file);
  const parts = path.relative(path.resolve(evaluationsFolder), resolved).split(path.sep);
  const refused = new Error(`${file} is not an evaluation report of this workspace (${path.join(evaluationsFolder, '<run>', REPORT_FILE_NAME)}).`);
  if (parts.length !== 2 || parts[0] === '..' || parts[0] === '' || path.isAbsolute(parts[0]) || parts[1] !== REPORT_FILE_NAME) throw refused;
  try {
    await (await DatasetBoundary.at(evaluationsFolder)).realFile(resolved);
  } catch (err) {
    if (err instanceof OutsideDatasetError) throw refused;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`The evaluation report ${file} does not exist.`);
    throw err;
  }
  return { report: await readReport(resolved), file: resolved };
}

/**
 * Every report under `evaluationsFolder` (one folder per run), newest first by createdAt. A run
 * folder without report.json (a run still going, or one that crashed) is not a report and is left
 * out; a report.json that cannot be read or checked is listed apart with the reason.
 */
export async function listReports(evaluationsFolder: string): Promise<ReportListing> {
  const entries = await fs.readdir(evaluationsFolder, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  const reports: StoredReport[] = [];
  const unreadable: { file: string; reason: string }[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const file = path.join(evaluationsFolder, entry.name, REPORT_FILE_NAME);
    try {
      reports.push({ report: await readReport(file), file });
    } catch (err) {
      if (!(await pathTaken(file))) continue;
      unreadable.push({ file, reason: (err as Error).message });
    }
  }
  reports.sort((a, b) => Date.parse(b.report.createdAt) - Date.parse(a.report.createdAt) || b.report.id.localeCompare(a.report.id));
  return { reports, unreadable };
}
