// Restricted mode: the Describe Anything server command is never run, even when the machine settings name one.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, waitFor } from '../extensionApi';
import { writeMachineSettings } from '../settingsScopes';

describe('untrusted workspace: Describe Anything server', function () {
  this.timeout(30_000);
  let root: string;

  before(async () => {
    await activateExtension();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ic-dam-untrusted-'));
  });

  after(async () => {
    writeMachineSettings({});
    await vscode.commands.executeCommand('notifications.clearAll');
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('refuses to start the server command', async () => {
    const marker = path.join(root, 'ran');
    writeMachineSettings({ 'imageCaptioner.dam.serverCommand': [process.execPath, '-e', `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`] });
    await waitFor(() => (vscode.workspace.getConfiguration('imageCaptioner').get<string[]>('dam.serverCommand') ?? []).length === 3, 'the machine setting read');
    assert.equal(vscode.workspace.isTrusted, false);
    const started = await vscode.commands.executeCommand<boolean>('imageCaptioner.dam.startServer');
    assert.equal(started, false);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(fs.existsSync(marker), false, 'the command ran');
  });
});
