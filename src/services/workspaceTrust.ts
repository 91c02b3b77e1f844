import * as vscode from 'vscode';
import { showWarning } from './notifications';

/** VS Code's own Workspace Trust editor (what the Restricted Mode banner's "Manage" runs): the user trusts this folder there, no other. */
export const MANAGE_TRUST_COMMAND = 'workbench.trust.manage';

/** Opens VS Code's trust dialog for this folder; trust is never switched off for every folder. */
export function manageWorkspaceTrust(): Thenable<unknown> {
  return vscode.commands.executeCommand(MANAGE_TRUST_COMMAND);
}

/** Says why nothing was sent from an untrusted folder, with "Trust This Folder…" one click away. */
export async function explainUntrusted(message = vscode.l10n.t('Image Captioner sends no request from an untrusted workspace. Trust this folder to caption with models.')): Promise<void> {
  const trust = vscode.l10n.t('Trust This Folder…');
  if ((await showWarning(message, trust)) === trust) await manageWorkspaceTrust();
}
