// Dataset and server text is data: a notification naming a hostile file shows it literally, with no command link.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, waitFor } from './extensionApi';
import { getWorkbenchPage, hasBrowser, screenshot } from './browser';

describe('text from a dataset in notifications', function () {
  this.timeout(60_000);
  let folder: string;
  let commandRan = false;
  let probe: vscode.Disposable;

  before(async () => {
    await activateExtension();
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-'));
    // A command only a link could run: if it runs, a notification turned data into an action.
    probe = vscode.commands.registerCommand('imageCaptionerTest.linkClicked', () => (commandRan = true));
  });

  after(async () => {
    probe?.dispose();
    await vscode.commands.executeCommand('notifications.clearAll');
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('shows a file name and file content carrying `[label](command:…)` as literal text, with no command link', async function () {
    if (!hasBrowser()) this.skip();
    const name = '[click me](command:imageCaptionerTest.linkClicked).csv';
    const file = path.join(folder, name);
    fs.writeFileSync(file, '[see the fix](command:imageCaptionerTest.linkClicked),other\nx,y\n');
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('imageCaptioner.importCaptions', vscode.Uri.file(file));

    const page = await getWorkbenchPage();
    // The notification center lists it whether or not its toast has faded.
    await vscode.commands.executeCommand('notifications.showList');
    const message = page.locator('.notifications-center .notification-list-item-message', { hasText: 'Cannot import' }).first();
    await message.waitFor({ timeout: 15_000 });
    await screenshot('notification-hostile-file-name');

    const anchors = await page.locator('.notifications-center .notification-list-item-message a, .notifications-toasts .notification-list-item-message a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    assert.deepEqual(anchors, [], 'no link in any notification');
    const shown = ((await message.textContent()) ?? '').replaceAll('\u2060', '');
    assert.ok(shown.startsWith(`Cannot import ${name}: `), shown);
    assert.ok(shown.includes('"[see the fix](command:imageCaptionerTest.linkClicked)"'), `the file's own text, literally: ${shown}`);
    await message.click();
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(commandRan, false, 'clicking the message runs nothing');
    await waitFor(async () => (await page.locator('.notifications-center .notification-list-item-message a').count()) === 0, 'still no link');
  });
});
