import * as vscode from 'vscode';
import { showWarning } from '../services/notifications';
import { WEBVIEW_LOAD_TIMEOUT_MS, WebviewLoadWatchdog } from './webviewLoadWatchdog';
import { webviewHtml } from './webviewHtml';

/** What a webview shows: its app (dist/webviews/<app>.js), document title, and how a sentence names it. */
export interface WebviewApp {
  readonly extensionUri: vscode.Uri;
  readonly app: string;
  readonly title: string;
  /** The view in a sentence ("The caption editor of cat.jpg"). */
  readonly what: string;
  readonly log?: { warn(message: string): void };
  /** A custom editor's tab, which is closed and opened again when its webview stays blank. */
  readonly customEditor?: { readonly uri: vscode.Uri; readonly viewType: string };
}

/** A tab reopened this recently is not reopened again (a webview host that stays broken must not loop). */
const REOPEN_WINDOW_MS = 60_000;
const reopenedAt = new Map<string, number>();

/**
 * Sets a panel's HTML and watches for its script's 'ready' message. When VS Code's webview host leaves
 * the webview blank the HTML is set again (logged); if that does not bring it, a custom editor's tab is
 * closed and opened again (VS Code 1.99's web workbench left a host with no content frame at all, which
 * only a new tab mended); a panel, or a tab that cannot be reopened, ends with a warning offering Reload Window.
 */
export function loadWebview(panel: vscode.WebviewPanel, view: WebviewApp): void {
  const { what, log } = view;
  const watchdog = new WebviewLoadWatchdog(panel, () => (panel.webview.html = webviewHtml(panel.webview, view.extensionUri, view.app, view.title)), {
    onRetry: () => log?.warn(`${what} did not load within ${WEBVIEW_LOAD_TIMEOUT_MS / 1000} s (VS Code's webview host left it blank): loading it again.`),
    onGiveUp: () =>
      void (view.customEditor ? reopenCustomEditorTab(view.customEditor.uri, view.customEditor.viewType) : Promise.resolve(false)).then((reopened) => {
        if (reopened) {
          log?.warn(`${what} stayed blank: its tab was closed and opened again.`);
          return;
        }
        void showWarning(`${what} did not load: VS Code's webview host left it blank. Reloading the window starts the webview host afresh.`, 'Reload Window').then((choice) =>
          choice ? vscode.commands.executeCommand('workbench.action.reloadWindow') : undefined,
        );
      }),
  });
  panel.webview.onDidReceiveMessage((message: { readonly type?: unknown } | undefined) => {
    if (message?.type === 'ready') watchdog.ready();
  });
  watchdog.load();
}

/** Closes a custom editor's tab and opens it again where it was; false when it has unsaved changes, is gone, or was reopened a moment ago. */
export async function reopenCustomEditorTab(uri: vscode.Uri, viewType: string): Promise<boolean> {
  const now = Date.now();
  for (const [key, at] of reopenedAt) if (now - at >= REOPEN_WINDOW_MS) reopenedAt.delete(key);
  const key = `${viewType}\n${uri.toString()}`;
  if (reopenedAt.has(key)) return false;
  const tab = vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .find((t) => t.input instanceof vscode.TabInputCustom && t.input.viewType === viewType && t.input.uri.toString() === uri.toString());
  if (!tab || tab.isDirty) return false;
  reopenedAt.set(key, now);
  const { viewColumn } = tab.group;
  if (!(await vscode.window.tabGroups.close(tab, true))) return false;
  await vscode.commands.executeCommand('vscode.openWith', uri, viewType, { viewColumn, preview: tab.isPreview });
  return true;
}
