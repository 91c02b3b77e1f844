import * as vscode from 'vscode';
import type { LintProblem, LintRuleId } from '../core/lint/lintTypes';
import type { CaptionLinter } from './captionLinter';
import { allProblems, engineText, LINT_SOURCE, LintedCaption, rangeOf } from './lintedCaption';

/** The command behind "Fix All of This Kind" (argument: the rule id). */
export const FIX_ALL_COMMAND = 'imageCaptioner.lint.fixAll';

/**
 * Quick fixes for lint diagnostics on caption files: the engine's fix as one WorkspaceEdit (one
 * undo step), and "Fix All of This Kind" for the rule. Only offered while the document still holds
 * the text that was linted (offsets into other text would edit the wrong characters).
 */
export class LintCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly linter: CaptionLinter) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const caption = this.linter.get(document.uri);
    if (!caption || engineText(document.getText()) !== caption.text) return [];
    const actions: vscode.CodeAction[] = [];
    const fixAllRules = new Set<LintRuleId>();
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== LINT_SOURCE) continue;
      const problem = problemOf(caption, diagnostic);
      if (!problem?.fix) continue;
      const action = new vscode.CodeAction(problem.fix.title, vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      for (const edit of problem.fix.edits) action.edit.replace(document.uri, rangeOf(caption, edit.start, edit.end), edit.newText);
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      actions.push(action);
      fixAllRules.add(problem.rule);
    }
    for (const rule of fixAllRules) {
      const action = new vscode.CodeAction(`Fix All of This Kind (${rule})`, vscode.CodeActionKind.QuickFix);
      action.command = { command: FIX_ALL_COMMAND, title: action.title, arguments: [rule] };
      actions.push(action);
    }
    return actions;
  }
}

/** The problem a diagnostic was made from (diagnostics come back as copies: matched by rule, range and message). */
function problemOf(caption: LintedCaption, diagnostic: vscode.Diagnostic): LintProblem | undefined {
  return allProblems(caption).find((p) => p.rule === diagnostic.code && p.message === diagnostic.message && rangeOf(caption, p.start, p.end).isEqual(diagnostic.range));
}
