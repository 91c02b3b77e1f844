// Proves the harness itself: real extension host, copied fixture workspace, browser access to the workbench.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { getWorkbenchPage, hasBrowser, readHarness, screenshot, webviewFrame } from './browser';

describe('integration harness', () => {
  it('runs inside a real VS Code extension host', () => {
    assert.equal(typeof vscode.version, 'string');
    assert.match(vscode.version, /^\d+\.\d+\.\d+/);
    const launched = readHarness()?.vscodeVersion;
    // The oldest-VS-Code run (npm run test:oldest) must really run there, not on today's server.
    if (launched) assert.equal(vscode.version, launched);
  });

  it('opens a temporary copy of the fixture workspace', () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    assert.equal(folder.uri.scheme, 'file');
    const expected = readHarness()?.workspace;
    assert.ok(expected, 'the launcher names the workspace it prepared');
    assert.equal(fs.realpathSync(folder.uri.fsPath), fs.realpathSync(expected));
    assert.ok(fs.realpathSync(folder.uri.fsPath).startsWith(fs.realpathSync(os.tmpdir())), 'tests never touch the checked-in fixture');
  });

  it("leaves edits unsaved until a test saves them (files.autoSave off, the web's afterDelay is not)", () => {
    assert.equal(vscode.workspace.getConfiguration('files').get('autoSave'), 'off');
  });

  it('reaches the workbench page through the browser', async function () {
    if (!hasBrowser()) this.skip();
    const page = await getWorkbenchPage();
    await page.locator('.monaco-workbench').waitFor({ state: 'visible' });
    assert.match(await page.title(), /workspace/);
    await screenshot('smoke-workbench');
  });

  it('reads the content of a webview', async function () {
    if (!hasBrowser()) this.skip();
    const panel = vscode.window.createWebviewPanel('harnessProbe', 'Harness probe', vscode.ViewColumn.One, {});
    try {
      panel.webview.html = '<!DOCTYPE html><html><head><title>harness-probe</title></head><body><h1 id="probe">hello from the webview</h1></body></html>';
      const frame = await webviewFrame(await getWorkbenchPage(), { title: 'harness-probe' });
      assert.equal(await frame.locator('#probe').textContent(), 'hello from the webview');
    } finally {
      panel.dispose();
    }
  });
});
