/**
 * One linted caption file and how its problems show in VS Code: ranges in the document's
 * coordinates and diagnostics of the "Image Captioner" source.
 */
import * as vscode from 'vscode';
import type { LintProblem, LintSeverity } from '../core/lint/lintTypes';
import { positionAt } from './lintRanges';

/** The diagnostics' source and collection name, as the Problems view shows it. */
export const LINT_SOURCE = 'Image Captioner';

/** One linted caption file: the text the problems were found in, and the problems. */
export interface LintedCaption {
  readonly captionPath: string;
  readonly imagePath: string;
  readonly uri: vscode.Uri;
  /** The decoded caption ('\n' breaks) the offsets refer to. */
  text: string;
  starts: number[];
  /** Per-caption problems. */
  problems: LintProblem[];
  /** This caption's exact-duplicate problem, when it has one. */
  duplicate?: LintProblem;
  /** Its problems from the model-based rules of the last run. */
  modelProblems: LintProblem[];
  key: string;
}

const SEVERITY: Record<LintSeverity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** Text as the engine sees it: what a document holds, with CRLF folded like the caption decoder does. */
export function engineText(documentText: string): string {
  return documentText.replace(/\r\n/g, '\n');
}

/** The editor range of the engine's [start, end) in `caption`. */
export function rangeOf(caption: Pick<LintedCaption, 'text' | 'starts'>, start: number, end: number): vscode.Range {
  const a = positionAt(caption.starts, caption.text.length, start);
  const b = positionAt(caption.starts, caption.text.length, end);
  return new vscode.Range(a.line, a.character, b.line, b.character);
}

/** Every problem of a caption: its own, its duplicate problem, then the model-based rules'. */
export function allProblems(caption: LintedCaption): LintProblem[] {
  return [...caption.problems, ...(caption.duplicate ? [caption.duplicate] : []), ...caption.modelProblems];
}

/** The diagnostic of one problem of `caption`. */
export function diagnosticOf(caption: LintedCaption, problem: LintProblem): vscode.Diagnostic {
  const d = new vscode.Diagnostic(rangeOf(caption, problem.start, problem.end), problem.message, SEVERITY[problem.severity]);
  d.source = LINT_SOURCE;
  d.code = problem.rule;
  return d;
}
