import * as vscode from 'vscode';
import { readDamSettings } from '../regionSettings';
import { DamServerProcess } from '../services/damServerProcess';
import { showError, showInformation, withNotificationProgress } from '../services/notifications';

/**
 * "Start Describe Anything Server" / "Stop Describe Anything Server": the user's own command line
 * (imageCaptioner.dam.serverCommand: their Python, their GPU, their weights; nothing is bundled),
 * its output in `output`, never from an untrusted workspace. Disposing stops the server.
 */
export function registerDamServerCommands(output: vscode.OutputChannel): vscode.Disposable {
  const holder: { server?: DamServerProcess } = {};
  const registrations = [
    vscode.commands.registerCommand('imageCaptioner.dam.startServer', () => startServer(holder, output)),
    vscode.commands.registerCommand('imageCaptioner.dam.stopServer', () => stopServer(holder)),
  ];
  return new vscode.Disposable(() => {
    for (const registration of registrations) registration.dispose();
    holder.server?.dispose();
  });
}

/** Resolves true once the server answers; false when it was not started (the user was told why). */
async function startServer(holder: { server?: DamServerProcess }, output: vscode.OutputChannel): Promise<boolean> {
  if (!vscode.workspace.isTrusted) {
    void showError('Image Captioner starts no program from an untrusted workspace. Trust this folder to start the Describe Anything server.');
    return false;
  }
  if (holder.server?.running) {
    void showInformation(`The Describe Anything server is already running (process ${holder.server.pid}).`);
    return true;
  }
  const settings = readDamSettings();
  const server = new DamServerProcess({
    command: settings.serverCommand,
    baseUrl: settings.baseUrl,
    cwd: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    readyTimeoutMs: settings.startTimeoutMs,
    onOutput: (line) => output.appendLine(line),
    onExit: (how) => output.appendLine(`[Image Captioner] the server ended: ${how}`),
  });
  holder.server = server;
  output.appendLine(`[Image Captioner] starting ${JSON.stringify(settings.serverCommand)}; waiting for ${settings.baseUrl}`);
  output.show(true);
  try {
    await withNotificationProgress({ title: 'Starting the Describe Anything server', cancellable: true }, async (progress, token) => {
      progress.report({ message: `waiting for ${settings.baseUrl} (its log: Output, Describe Anything Server)` });
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      try {
        await server.start(controller.signal);
      } finally {
        subscription.dispose();
      }
    });
  } catch (err) {
    output.appendLine(`[Image Captioner] ${(err as Error).message}`);
    void showError((err as Error).message);
    return false;
  }
  void showInformation(`The Describe Anything server answers at ${settings.baseUrl}.`);
  return true;
}

async function stopServer(holder: { server?: DamServerProcess }): Promise<void> {
  const server = holder.server;
  if (!server?.running) {
    void showInformation('No Describe Anything server started by Image Captioner is running.');
    return;
  }
  await server.stop();
  void showInformation('The Describe Anything server was stopped.');
}
