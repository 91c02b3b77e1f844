import * as vscode from 'vscode';
import { fixAllOfKind } from '../core/lint/textEdits';
import type { LintRuleId } from '../core/lint/lintTypes';
import type { EditPlan, PlannedChange } from '../core/edits/editPlan';
import { CaptionLinter } from '../services/captionLinter';
import { allProblems } from '../services/lintedCaption';
import { FIX_ALL_COMMAND, LintCodeActions } from '../services/lintCodeActions';
import type { BulkEditService } from '../services/bulkEditService';
import { showInformation } from '../services/notifications';
import type { ScopePicker } from './scopePicker';

/** "Lint Captions…", "Clear Lint", "Fix All of This Kind" and the quick-fix provider on caption files. */
export function registerLintCommands(linter: CaptionLinter, scopes: ScopePicker, bulk: BulkEditService): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('imageCaptioner.lint.run', async (arg?: unknown, args?: unknown): Promise<number | undefined> => {
      const scope = await scopes.pick('Lint Captions', arg, args);
      if (!scope) return undefined;
      const count = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Linting captions' }, () => linter.lint(scope.images));
      let problems = 0;
      for (const caption of linter.all()) problems += allProblems(caption).length;
      const notes = linter.notes.length ? ` ${linter.notes.join(' ')}` : '';
      void showInformation(`Linted ${count} caption file(s) of ${scope.label}: ${problems} problem(s), listed in the Problems view.${notes}`);
      return count;
    }),
    vscode.commands.registerCommand('imageCaptioner.lint.clear', () => linter.clear()),
    vscode.commands.registerCommand(FIX_ALL_COMMAND, async (rule: LintRuleId, autoApply = false) => {
      const changes: PlannedChange[] = [];
      for (const caption of linter.all()) {
        const [after] = fixAllOfKind([caption.text], [caption.problems], rule);
        if (after !== caption.text) changes.push({ captionPath: caption.captionPath, imagePath: caption.imagePath, before: caption.text, after });
      }
      const plan: EditPlan = { operation: `Fix all ${rule} problems`, changes, deletions: [], unchanged: 0, matches: 0 };
      if (!(await bulk.preview(plan, autoApply))) return;
      const { changed, conflicts } = await bulk.apply(plan);
      const tail = conflicts.length ? ` ${conflicts.length} caption(s) changed since they were linted were left alone; run Lint Captions again.` : '';
      void showInformation(`${plan.operation}: ${changed} caption(s) changed.${tail}`, 'Undo').then((choice) => {
        if (choice === 'Undo') void vscode.commands.executeCommand('imageCaptioner.undoBulkEdit');
      });
    }),
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new LintCodeActions(linter), { providedCodeActionKinds: LintCodeActions.kinds }),
  ];
}
