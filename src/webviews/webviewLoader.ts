import * as vscode from 'vscode';
import { showWarning } from '../services/notifications';
import { WEBVIEW_LOAD_RETRIES, WEBVIEW_LOAD_TIMEOUT_MS, WebviewLoadWatchdog } from './webviewLoadWatchdog';

/**
 * Sets a panel's HTML and watches for its script's 'ready' message: when VS Code's webview host
 * leaves the webview blank, the HTML is set again (logged); after the last try a warning offers
 * Reload Window. `what` names the view in a sentence ("The caption editor of cat.jpg").
 */
export function loadWebview(panel: vscode.WebviewPanel, html: () => string, what: string, log?: { warn(message: string): void }): void {
  const watchdog = new WebviewLoadWatchdog(panel, () => (panel.webview.html = html()), {
    onRetry: (attempt, retries) =>
      log?.warn(`${what} did not load within ${WEBVIEW_LOAD_TIMEOUT_MS / 1000} s (VS Code's webview host left it blank): loading it again, try ${attempt} of ${retries}.`),
    onGiveUp: () =>
      void showWarning(`${what} did not load: VS Code's webview host left it blank ${WEBVIEW_LOAD_RETRIES + 1} times. Reloading the window starts the webview host afresh.`, 'Reload Window').then((choice) =>
        choice ? vscode.commands.executeCommand('workbench.action.reloadWindow') : undefined,
      ),
  });
  panel.webview.onDidReceiveMessage((message: { readonly type?: unknown } | undefined) => {
    if (message?.type === 'ready') watchdog.ready();
  });
  watchdog.load();
}
