// Bulk find/replace in a real VS Code: the preview, the Apply button, the files, and undo to the byte.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { EditOutcome } from '../../src/commands/editCommands';
import type { ImageCaptionerApi } from '../../src/extension';
import { activateExtension, closeAllEditors, waitFor } from './extensionApi';
import { getWorkbenchPage, hasBrowser, screenshot } from './browser';
import { note } from './index';

/** The open bulk-edit preview tabs. */
function previewTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.scheme === 'imageCaptioner-preview' && t.label.startsWith('Preview '));
}

describe('bulk caption edits', function () {
  this.timeout(60_000);
  let api: ImageCaptionerApi;

  before(async function () {
    if (!hasBrowser()) this.skip();
    api = await activateExtension();
  });

  afterEach(closeAllEditors);

  it('find/replace from the palette shows a preview, Apply changes the files, Undo restores every byte', async () => {
    const index = api.dataset.index!;
    await api.dataset.loadCaptions(index.images());
    const files = index.images().filter((img) => img.captionState === 'text').map((img) => index.captionPath(img));
    const before = new Map(files.map((f) => [f, fs.readFileSync(f)] as const));
    const withA = files.filter((f) => / a /i.test(fs.readFileSync(f, 'utf8')));
    assert.ok(withA.length >= 2, 'the sample has captions with the word "a"');
    const crlf = files.find((f) => fs.readFileSync(f).includes(Buffer.from('\r\n')))!;
    assert.ok(crlf, 'the sample has a CRLF caption with a BOM');

    const running = vscode.commands.executeCommand('imageCaptioner.findReplace', { find: 'a', replace: 'ONE', wholeWord: true, regex: false, caseSensitive: false, images: index.images().map((i) => index.imagePath(i)) });
    const page = await getWorkbenchPage();
    const tab = page.locator('.tab', { hasText: /Preview \d+ - Replace/ });
    await tab.first().waitFor({ timeout: 15_000 });
    await page.locator('.view-lines', { hasText: '+' }).first().waitFor();
    await screenshot('bulk-replace-preview');
    for (const f of files) assert.deepEqual(fs.readFileSync(f), before.get(f), 'nothing written before Apply');
    await page.locator('.editor-actions .action-label[aria-label="Apply Bulk Edit"]').first().click();
    await running;

    for (const f of withA) {
      const text = fs.readFileSync(f, 'utf8');
      assert.ok(/\bONE\b/.test(text) && !/ a /i.test(text), `${f} replaced: ${text}`);
    }
    const crlfAfter = fs.readFileSync(crlf);
    assert.deepEqual([...crlfAfter.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'BOM kept');
    assert.ok(crlfAfter.includes(Buffer.from('\r\n')) && !crlfAfter.toString('utf8').replace(/\r\n/g, '').includes('\n'), 'CRLF kept');

    await vscode.commands.executeCommand('imageCaptioner.undoBulkEdit');
    for (const f of files) assert.deepEqual(fs.readFileSync(f), before.get(f), `${f} restored byte for byte`);
  });

  it('Discard, or closing the preview, discards the edit', async () => {
    const index = api.dataset.index!;
    const files = index.images().filter((img) => img.captionState === 'text').map((img) => index.captionPath(img));
    const before = files.map((f) => fs.readFileSync(f));
    const replaceThe = () => vscode.commands.executeCommand('imageCaptioner.findReplace', { find: 'the', replace: 'THE', regex: false, caseSensitive: false, wholeWord: true, images: index.images().map((i) => index.imagePath(i)) });
    const running = replaceThe();
    const page = await getWorkbenchPage();
    await page.locator('.editor-actions .action-label[aria-label="Discard Bulk Edit"]').first().click();
    await running;
    files.forEach((f, i) => assert.deepEqual(fs.readFileSync(f), before[i]));

    const closing = replaceThe();
    const preview = await waitFor(() => previewTabs()[0], 'the preview tab');
    await vscode.window.tabGroups.close(preview);
    await closing;
    files.forEach((f, i) => assert.deepEqual(fs.readFileSync(f), before[i], `${f} unchanged after the preview was closed`));
    assert.deepEqual(previewTabs(), []);
  });

  it('leaves a caption changed on disk after the preview alone, and reports it', async () => {
    const index = api.dataset.index!;
    const image = index.images().find((img) => img.captionState === 'text' && !img.collision)!;
    const file = index.captionPath(image);
    const original = fs.readFileSync(file);
    try {
      const running = vscode.commands.executeCommand('imageCaptioner.findReplace', { find: 'e', replace: 'E', regex: false, caseSensitive: true, wholeWord: false, images: [index.imagePath(image)] });
      const page = await getWorkbenchPage();
      const apply = page.locator('.editor-actions .action-label[aria-label="Apply Bulk Edit"]').first();
      await apply.waitFor();
      fs.writeFileSync(file, 'changed by someone else');
      await apply.click();
      await running;
      assert.equal(fs.readFileSync(file, 'utf8'), 'changed by someone else');
      // The report is a notification: read it in the notification list of the workbench.
      await vscode.commands.executeCommand('notifications.showList');
      const report = page.locator('.notifications-center .notification-list-item-message', { hasText: 'changed on disk since the preview' });
      await report.first().waitFor({ timeout: 10_000 });
      assert.equal(await report.count(), 1);
      assert.equal(await report.first().textContent(), 'Replace "e" with "E" (match case): 0 caption(s) changed. 1 caption(s) changed on disk since the preview were left alone.');
      await screenshot('bulk-edit-conflict-reported');
    } finally {
      await vscode.commands.executeCommand('notifications.clearAll');
      await vscode.commands.executeCommand('notifications.hideList');
      fs.writeFileSync(file, original);
    }
  });

  it('stops a catastrophically backtracking regex with a message, in the live count and the replace, while the extension host keeps ticking', async () => {
    const index = api.dataset.index!;
    const image = index.images().find((img) => img.captionState === 'text' && !img.collision)!;
    const file = index.captionPath(image);
    const original = fs.readFileSync(file);
    // (a+)+$ backtracks about 2^28 times on it: 10-40 s on this thread; the pattern thread is ended after 3 s.
    const pathological = `${'a'.repeat(28)}!\n`;
    fs.writeFileSync(file, pathological);
    const lags: number[] = [];
    try {
      let lag = hostLag();
      const started = Date.now();
      const outcome = await vscode.commands.executeCommand<EditOutcome>('imageCaptioner.findReplace', { find: '(a+)+$', replace: 'x', regex: true, caseSensitive: true, wholeWord: false, autoApply: true, images: [index.imagePath(image)] });
      const elapsed = Date.now() - started;
      lags.push(lag.stop());
      assert.equal(outcome.kind, 'failed', JSON.stringify(outcome));
      assert.match((outcome as { message: string }).message, /more than 3 s on one caption and was stopped: it likely backtracks catastrophically/);
      assert.ok(elapsed < 3000 + 3000, `answered after ${elapsed} ms`);
      assert.equal(fs.readFileSync(file, 'utf8'), pathological, 'nothing written');

      const typing = vscode.commands.executeCommand<EditOutcome>('imageCaptioner.findReplace', { regex: true, caseSensitive: true, wholeWord: false, images: [index.imagePath(image)] });
      const page = await getWorkbenchPage();
      const input = page.locator('.quick-input-widget input.input');
      const message = page.locator('.quick-input-widget .quick-input-message');
      await input.waitFor();
      lag = hostLag();
      await input.fill('(a+)+$');
      await message.filter({ hasText: 'backtracks catastrophically' }).waitFor({ timeout: 10_000 });
      lags.push(lag.stop());
      await screenshot('find-pattern-too-slow');
      await input.fill('a+!');
      await message.filter({ hasText: '1 match in 1 caption' }).waitFor({ timeout: 10_000 });
      await page.keyboard.press('Escape');
      assert.deepEqual(await typing, { kind: 'declined' });
      note(`catastrophic regex: replace answered in ${elapsed} ms; host timers late by up to ${lags.map((l) => l.toFixed(0)).join(' ms (replace) and ')} ms (live count)`);
      // Without the pattern thread each phase blocked this host for the whole 10-40 s.
      assert.ok(Math.max(...lags) < 500, `the extension host's timers were late by up to ${lags.map((l) => l.toFixed(0)).join(' and ')} ms`);
    } finally {
      fs.writeFileSync(file, original);
    }
  });

  it('shows caption statistics of a scope as a generated, read-only Markdown document', async () => {
    const index = api.dataset.index!;
    const root = vscode.Uri.file(index.rootPath);
    await vscode.commands.executeCommand('imageCaptioner.showStatistics', root, [root]);
    const doc = await waitFor(
      () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'imageCaptioner-preview' && d.uri.path.startsWith('/Statistics')),
      'the statistics document',
    );
    const text = doc.getText();
    // One row per caption file (two images of one stem share theirs); a caption that is not UTF-8 is left out.
    const utf8 = (file: string) => {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(fs.readFileSync(file));
        return true;
      } catch {
        return !fs.existsSync(file);
      }
    };
    const captions = new Set(index.images().map((img) => index.captionPath(img)));
    const expected = [...captions].filter(utf8).length;
    assert.match(text, /^# Caption statistics: /);
    assert.match(text, new RegExp(`\\| Images \\| ${expected} \\|`), text.slice(0, 400));
    assert.match(text, /\| Captioned \| \d+ \|/);
    assert.match(text, /## Caption length \(characters\)/);
  });
});

/** Starts a 10 ms timer in this extension host; `stop()` says by how much it was late at most: how long the event loop was blocked. */
function hostLag(): { stop(): number } {
  let last = performance.now();
  let max = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    max = Math.max(max, now - last - 10);
    last = now;
  }, 10);
  return {
    stop: () => {
      clearInterval(timer);
      return max;
    },
  };
}
