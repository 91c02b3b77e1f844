import * as vscode from 'vscode';
import { problemText, ResolvedCatalog } from '../providers/modelCatalog';
import { originLabel } from '../providers/modelOrigin';
import { showWarning } from './notifications';

/**
 * Tells the user what reading `imageCaptioner.models` found: every skipped entry goes to the log
 * with its field and reason, and a warning names the entries newly skipped (a reload for another
 * reason does not warn again about the same ones); entries that replaced another one are logged.
 */
export function modelSettingsReporter(log: vscode.LogOutputChannel): (resolved: ResolvedCatalog) => void {
  let warned = new Set<string>();
  return ({ problems, replaced }) => {
    const texts = problems.map(problemText);
    for (const text of texts) log.warn(text);
    for (const r of replaced) log.info(`Model "${r.id}" from ${originLabel(r.origin)} replaces the one from ${originLabel(r.replaced)}`);
    const fresh = texts.filter((text) => !warned.has(text));
    warned = new Set(texts);
    if (fresh.length === 0) return;
    const count = fresh.length === 1 ? 'One model entry was' : `${fresh.length} model entries were`;
    void showWarning(`${count} skipped. ${fresh.join(' ')}`, 'Show Log').then((choice) => {
      if (choice) log.show();
    });
  };
}
