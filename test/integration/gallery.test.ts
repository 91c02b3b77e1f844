// The Gallery (issue 18) in a real VS Code, driven through the browser: opened on a folder of its own
// in the dataset, a Shift+click range selected in the grid, the shared-tags pane showing exactly the
// tags the three captions share, removing one there (preview, Apply) rewriting only those caption
// files, and one undo restoring every byte; the selection offered to the bulk commands as a scope.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FrameLocator } from 'playwright-core';
import type { ImageCaptionerApi } from '../../src/extension';
import { activateExtension, closeAllEditors, waitFor } from './extensionApi';
import { getWorkbenchPage, hasBrowser, screenshot, webviewFrame } from './browser';

const FOLDER = 'gallery-suite';
/** Captions of gallery-suite/g0..g5; the selection is g1..g3. */
const CAPTIONS = [
  'ohwx, 1girl, red hair, smile\n',
  'ohwx, 1girl, red hair, smile, outdoors\n',
  'OHWX, solo, 1girl, smile\r\n',
  'ohwx, 1girl, smile, red hair, hat',
  'ohwx, 1girl, smile\n',
  'A dog, running in a park.\n',
];

describe('gallery', function () {
  this.timeout(120_000);
  let api: ImageCaptionerApi;
  let folder: string;
  const captionFiles: string[] = [];

  before(async function () {
    if (!hasBrowser()) this.skip();
    api = await activateExtension();
    await closeAllEditors();
    const index = api.dataset.index!;
    const sample = index.images().find((img) => /\.jpe?g$/i.test(img.name))!;
    folder = path.join(index.rootPath, FOLDER);
    fs.rmSync(folder, { recursive: true, force: true });
    fs.mkdirSync(folder);
    const bytes = fs.readFileSync(index.imagePath(sample));
    CAPTIONS.forEach((caption, i) => {
      fs.writeFileSync(path.join(folder, `g${i}.jpg`), bytes);
      const file = path.join(folder, `g${i}.txt`);
      fs.writeFileSync(file, caption);
      captionFiles.push(file);
    });
    await waitFor(() => api.dataset.index!.folderOfPath(folder)?.images.length === CAPTIONS.length, 'the new folder indexed', 30_000);
  });

  after(async () => {
    if (!api) return;
    api.gallery.panel?.dispose();
    await closeAllEditors();
    fs.rmSync(folder, { recursive: true, force: true });
    await waitFor(() => !api.dataset.index!.folderOfPath(folder), 'the suite folder gone from the dataset', 30_000).catch(() => undefined);
  });

  const frame = async (): Promise<FrameLocator> => webviewFrame(await getWorkbenchPage(), { title: 'Gallery', selector: '#grid .grid-card' });

  it('shows the folder, selects a Shift+click range, shows exactly the shared tags, removes one with one undo', async () => {
    await vscode.commands.executeCommand('imageCaptioner.openGallery', vscode.Uri.file(folder));
    const gallery = await waitFor(() => (api.gallery.panel?.isReady ? api.gallery.panel : undefined), 'the gallery panel ready', 30_000);
    assert.deepEqual(gallery.shownRelPaths, CAPTIONS.map((_, i) => `${FOLDER}/g${i}.jpg`));
    const view = await frame();
    await waitFor(async () => (await view.locator('#grid .grid-card:not([hidden])').count()) === CAPTIONS.length, 'six thumbnails rendered');
    assert.equal(await view.locator('#grid .grid-card[data-index="0"] .grid-label').textContent(), CAPTIONS[0].trim());
    assert.ok(await view.locator('#grid .grid-card[data-index="0"] img').evaluate((img) => { const i = img as unknown as { complete: boolean; naturalWidth: number }; return i.complete && i.naturalWidth > 0; }), 'the thumbnail loaded in the webview');

    await view.locator('#grid .grid-card[data-index="1"]').click();
    await view.locator('#grid .grid-card[data-index="3"]').click({ modifiers: ['Shift'] });
    await waitFor(() => gallery.selectedRelPaths.length === 3, 'three images selected in the host');
    assert.deepEqual(gallery.selectedRelPaths, [1, 2, 3].map((i) => `${FOLDER}/g${i}.jpg`));
    const shared = await waitFor(() => (gallery.shared?.selected === 3 ? gallery.shared : undefined), 'the shared tags of the selection');
    assert.deepEqual(shared.all, ['ohwx', '1girl', 'smile']);
    assert.deepEqual(shared.some, [{ tag: 'red hair', count: 2 }, { tag: 'outdoors', count: 1 }, { tag: 'solo', count: 1 }, { tag: 'hat', count: 1 }]);
    await waitFor(async () => (await view.locator('#shared-all .shared-tag').allTextContents()).join('|') === 'ohwx|1girl|smile', 'the pane shows the shared tags');
    await screenshot('gallery-selection');

    // The bulk commands' scope pick offers the gallery's selection.
    const picking = vscode.commands.executeCommand('imageCaptioner.showStatistics');
    const page = await getWorkbenchPage();
    const offered = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Selection in the Gallery' });
    await offered.first().waitFor({ state: 'visible', timeout: 15_000 });
    assert.match((await offered.first().textContent()) ?? '', /3 images/);
    await page.keyboard.press('Escape');
    await picking;

    const before = captionFiles.map((f) => fs.readFileSync(f));
    await view.locator('#shared-all .shared-row[data-tag="1girl"] button[data-action="remove"]').click();
    await page.locator('.tab', { hasText: /Preview \d+ - Remove tags/ }).first().waitFor({ timeout: 15_000 });
    captionFiles.forEach((f, i) => assert.deepEqual(fs.readFileSync(f), before[i], 'nothing written before Apply'));
    await page.locator('.editor-actions .action-label[aria-label="Apply Bulk Edit"]').first().click();
    await waitFor(() => fs.readFileSync(captionFiles[3], 'utf8') === 'ohwx, smile, red hair, hat', 'the edit applied');
    assert.equal(fs.readFileSync(captionFiles[1], 'utf8'), 'ohwx, red hair, smile, outdoors\n');
    assert.equal(fs.readFileSync(captionFiles[2], 'utf8'), 'OHWX, solo, smile\r\n');
    for (const i of [0, 4, 5]) assert.deepEqual(fs.readFileSync(captionFiles[i]), before[i], `g${i} (not selected) untouched`);
    await waitFor(() => gallery.shared?.all.join('|') === 'ohwx|smile', 'the pane follows the new captions');

    await vscode.commands.executeCommand('imageCaptioner.undoBulkEdit');
    captionFiles.forEach((f, i) => assert.deepEqual(fs.readFileSync(f), before[i], `g${i} restored byte for byte`));
  });

  it('adds a trigger word in front, renames and reorders shared tags on the selection, each one undo step', async () => {
    const gallery = api.gallery.panel!;
    const view = await frame();
    await view.locator('#grid .grid-card[data-index="0"]').click();
    await view.locator('#grid .grid-card[data-index="4"]').click({ modifiers: ['Shift'] });
    await waitFor(() => gallery.shared?.selected === 5, 'five images selected');
    assert.deepEqual(gallery.shared!.all, ['ohwx', '1girl', 'smile']);
    // The shared-tags input completes from the dataset's tags (TagCompletionService, as the caption editor); Tab accepts.
    const input = view.locator('#shared-add-input');
    await input.pressSequentially('sks, red h');
    await view.locator('#tag-suggestions .tag-suggestion .tag-name', { hasText: /^red hair$/ }).first().waitFor({ timeout: 15_000 });
    const names = await view.locator('#tag-suggestions .tag-name').allTextContents();
    const keyboard = (await getWorkbenchPage()).keyboard;
    for (let i = 0; i < names.indexOf('red hair'); i++) await keyboard.press('ArrowDown');
    await keyboard.press('Tab');
    assert.equal(await input.inputValue(), 'sks, red hair, ', 'Tab put the suggestion in and stayed in the input');
    await input.fill('');
    const before = captionFiles.map((f) => fs.readFileSync(f));
    const steps: Array<[Parameters<typeof gallery.runTagAction>[0], string[]]> = [
      [{ kind: 'add', tags: 'sks', position: 'start' }, ['sks, ohwx, 1girl, red hair, smile\n', 'sks, ohwx, 1girl, red hair, smile, outdoors\n', 'sks, OHWX, solo, 1girl, smile\r\n', 'sks, ohwx, 1girl, smile, red hair, hat', 'sks, ohwx, 1girl, smile\n']],
      [{ kind: 'rename', from: 'smile', to: 'grin' }, ['ohwx, 1girl, red hair, grin\n', 'ohwx, 1girl, red hair, grin, outdoors\n', 'OHWX, solo, 1girl, grin\r\n', 'ohwx, 1girl, grin, red hair, hat', 'ohwx, 1girl, grin\n']],
      [{ kind: 'reorder', order: ['1girl', 'ohwx', 'smile'] }, ['1girl, ohwx, red hair, smile\n', '1girl, ohwx, red hair, smile, outdoors\n', '1girl, solo, OHWX, smile\r\n', '1girl, ohwx, smile, red hair, hat', '1girl, ohwx, smile\n']],
    ];
    for (const [action, expected] of steps) {
      const outcome = await gallery.runTagAction(action, true);
      assert.deepEqual(outcome, { kind: 'applied', changed: 5, conflicts: 0 }, action.kind);
      assert.deepEqual(captionFiles.slice(0, 5).map((f) => fs.readFileSync(f, 'utf8')), expected, action.kind);
      assert.deepEqual(fs.readFileSync(captionFiles[5]), before[5], 'the prose caption (not selected) untouched');
      await vscode.commands.executeCommand('imageCaptioner.undoBulkEdit');
      captionFiles.forEach((f, i) => assert.deepEqual(fs.readFileSync(f), before[i], `g${i} restored after ${action.kind}`));
    }
  });

  it('marks the cards that break tag rules, and removes a banned tag from the pane in one click with one undo', async () => {
    const gallery = api.gallery.panel!;
    const settings = vscode.workspace.getConfiguration('imageCaptioner');
    const view = await frame();
    try {
      await settings.update('tagRules', { banned: ['HAT', 'outdoors'], required: { [FOLDER]: ['sks'] } }, vscode.ConfigurationTarget.Workspace);
      await waitFor(async () => (await view.locator('#grid .grid-card[data-index="3"] .grid-rule-badge:not([hidden])').count()) === 1, 'g3 (hat) marked');
      const title = await view.locator('#grid .grid-card[data-index="3"] .grid-rule-badge').getAttribute('title');
      assert.equal(title, '"hat" is a banned tag (tag rules).\nRequired tag "sks" is missing (tag rules in folders matching "gallery-suite").');
      assert.equal(await view.locator('#grid .grid-card[data-index="5"] .grid-rule-badge:not([hidden])').count(), 0, 'prose is not checked');
      await view.locator('#grid .grid-card[data-index="0"]').click();
      await view.locator('#grid .grid-card[data-index="4"]').click({ modifiers: ['Shift'] });
      await waitFor(() => gallery.shared?.selected === 5, 'five images selected');
      const banned = view.locator('#shared-rules .rule-banned[data-tag="hat"]');
      await banned.waitFor({ timeout: 15_000 });
      assert.deepEqual(await view.locator('#shared-rules .shared-row').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-rule'), r.getAttribute('data-tag')])), [['banned', 'outdoors'], ['banned', 'hat'], ['missing', 'sks']], 'most frequent first, ties as first seen');
      assert.equal(await view.locator('#shared-some .shared-row.banned[data-tag="hat"]').count(), 1, 'the banned tag is marked in "some have"');
      const before = captionFiles.map((f) => fs.readFileSync(f));
      const page = await getWorkbenchPage();
      await banned.locator('button[data-action="remove-banned"]').click();
      await page.locator('.tab', { hasText: /Preview \d+ - Remove banned tag/ }).first().waitFor({ timeout: 15_000 });
      captionFiles.forEach((f, i) => assert.deepEqual(fs.readFileSync(f), before[i], 'nothing written before Apply'));
      await page.locator('.editor-actions .action-label[aria-label="Apply Bulk Edit"]').first().click();
      await waitFor(() => fs.readFileSync(captionFiles[3], 'utf8') === 'ohwx, 1girl, smile, red hair', 'the banned tag removed');
      captionFiles.forEach((f, i) => i !== 3 && assert.deepEqual(fs.readFileSync(f), before[i], `g${i} (no "hat") untouched`));
      await waitFor(async () => (await view.locator('#grid .grid-card[data-index="3"] .grid-rule-badge').getAttribute('title')) === 'Required tag "sks" is missing (tag rules in folders matching "gallery-suite").', 'the card follows the new caption');
      await vscode.commands.executeCommand('imageCaptioner.undoBulkEdit');
      captionFiles.forEach((f, i) => assert.deepEqual(fs.readFileSync(f), before[i], `g${i} restored byte for byte`));

      // the missing required tag: added where the folder requires it, in one step too
      const outcome = await gallery.runTagAction({ kind: 'ruleFix', rule: 'missing-required-tag', tag: 'sks' }, true);
      assert.deepEqual(outcome, { kind: 'applied', changed: 5, conflicts: 0 });
      assert.equal(fs.readFileSync(captionFiles[2], 'utf8'), 'OHWX, solo, 1girl, smile, sks\r\n');
      await vscode.commands.executeCommand('imageCaptioner.undoBulkEdit');
      captionFiles.forEach((f, i) => assert.deepEqual(fs.readFileSync(f), before[i], `g${i} restored after the required tag`));

      // a click on a card's badge offers that caption's fixes and runs the chosen one on that image alone
      await view.locator('#grid .grid-card[data-index="1"]').click();
      await waitFor(() => gallery.shared?.selected === 1, 'g1 alone selected');
      await view.locator('#grid .grid-card[data-index="3"] .grid-rule-badge').click();
      const picks = page.locator('.quick-input-widget .monaco-list-row');
      await waitFor(async () => (await picks.allTextContents()).length === 2, 'the quick pick of the card\'s fixes', 15_000);
      assert.deepEqual((await picks.allTextContents()).map((t) => t.trim()), ['Remove the banned tag "hat"', 'Add the required tag "sks"']);
      await picks.filter({ hasText: 'Remove the banned tag "hat"' }).click();
      await page.locator('.tab', { hasText: /Preview \d+ - Remove banned tag/ }).first().waitFor({ timeout: 15_000 });
      await page.locator('.editor-actions .action-label[aria-label="Apply Bulk Edit"]').first().click();
      await waitFor(() => fs.readFileSync(captionFiles[3], 'utf8') === 'ohwx, 1girl, smile, red hair', 'the badge removed the banned tag');
      captionFiles.forEach((f, i) => i !== 3 && assert.deepEqual(fs.readFileSync(f), before[i], `g${i} untouched by g3's badge`));
      assert.deepEqual(gallery.selectedRelPaths, [`${FOLDER}/g1.jpg`], 'the badge click did not select');
      await vscode.commands.executeCommand('imageCaptioner.undoBulkEdit');
      captionFiles.forEach((f, i) => assert.deepEqual(fs.readFileSync(f), before[i], `g${i} restored after the badge's fix`));
    } finally {
      await settings.update('tagRules', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('a panel brought back after a window reload shows the scope and selection its webview kept', async () => {
    api.gallery.panel?.dispose();
    const panel = vscode.window.createWebviewPanel('imageCaptioner.gallery', 'Gallery', vscode.ViewColumn.Active, { enableScripts: true });
    const kept = { thumb: 120, scope: { kind: 'folder', relPath: FOLDER }, selected: [`${FOLDER}/g2.jpg`, `${FOLDER}/g4.jpg`, 'gone.jpg'] };
    const revived = await api.gallery.revive(panel, kept);
    assert.ok(revived && api.gallery.panel === revived);
    await waitFor(() => revived.isReady, 'the revived panel ready', 30_000);
    assert.deepEqual(revived.shownRelPaths, CAPTIONS.map((_, i) => `${FOLDER}/g${i}.jpg`));
    assert.deepEqual(revived.selectedRelPaths, [`${FOLDER}/g2.jpg`, `${FOLDER}/g4.jpg`]);
    await waitFor(() => revived.shared?.selected === 2, 'the pane of the kept selection');
    assert.deepEqual(revived.shared?.all, ['OHWX', '1girl', 'smile'], 'g2 spells it first');
    const view = await frame();
    await waitFor(async () => (await view.locator('#grid .grid-card.selected').count()) === 2, 'the kept selection painted');
    // a state that does not hold a scope (malformed) brings back the whole dataset
    const fallback = await api.gallery.revive(vscode.window.createWebviewPanel('imageCaptioner.gallery', 'Gallery', vscode.ViewColumn.Active, { enableScripts: true }), { scope: { kind: 'folder', relPath: 42 } });
    await waitFor(() => fallback?.isReady, 'the fallback panel ready', 30_000);
    assert.ok(revived.panel !== fallback!.panel && api.gallery.panel === fallback, 'one gallery at a time');
    assert.equal(fallback!.shownRelPaths.length, api.dataset.index!.size, 'the whole dataset');
    await vscode.commands.executeCommand('imageCaptioner.openGallery', vscode.Uri.file(folder));
    await waitFor(() => (api.gallery.panel?.isReady && api.gallery.panel.shownRelPaths.length === CAPTIONS.length ? api.gallery.panel : undefined), 'the folder again for the next test', 30_000);
  });

  it('with second captions set, a toggle shows them on the cards and the pane edits them (the caption files untouched), one undo', async () => {
    const config = vscode.workspace.getConfiguration('imageCaptioner');
    const seconds = CAPTIONS.map((_, i) => path.join(folder, `g${i}.tags.txt`));
    const SECOND_TEXTS = ['t0, shared, cat\n', 't1, shared\n', 't2, shared, cat', '', 't4\n', 't5, shared\n'];
    seconds.forEach((f, i) => i !== 3 && fs.writeFileSync(f, SECOND_TEXTS[i]));
    try {
      await config.update('secondCaption.extension', '.tags.txt', vscode.ConfigurationTarget.Global);
      await waitFor(() => api.dataset.state === 'ready' && api.dataset.index?.options.secondCaptionExtension === '.tags.txt', 'the dataset re-indexed with second captions', 30_000);
      await vscode.commands.executeCommand('imageCaptioner.openGallery', vscode.Uri.file(folder));
      const gallery = await waitFor(() => (api.gallery.panel?.isReady ? api.gallery.panel : undefined), 'the gallery ready', 30_000);
      const view = await frame();
      const toggle = view.locator('#caption-target');
      await waitFor(async () => (await toggle.count()) === 1 && (await toggle.isVisible()), 'the caption toggle offered', 30_000);
      assert.deepEqual(await toggle.locator('option').allTextContents(), ['caption', 'second (.tags.txt)']);
      await toggle.selectOption('second');
      await waitFor(async () => (await view.locator('#grid .grid-card[data-index="0"] .grid-label').textContent()) === 't0, shared, cat', 'the cards show the second captions', 30_000);
      await view.locator('#grid .grid-card[data-index="0"]').click();
      await view.locator('#grid .grid-card[data-index="2"]').click({ modifiers: ['Shift'] });
      await waitFor(() => gallery.shared?.selected === 3 && gallery.shared.all.join('|') === 'shared', 'the pane shows the second captions\' shared tags');
      const captionsBefore = captionFiles.map((f) => fs.readFileSync(f));
      const secondsBefore = seconds.map((f) => (fs.existsSync(f) ? fs.readFileSync(f) : undefined));
      const outcome = await gallery.runTagAction({ kind: 'remove', tag: 'cat' }, true);
      assert.deepEqual(outcome, { kind: 'applied', changed: 2, conflicts: 0 });
      assert.equal(fs.readFileSync(seconds[0], 'utf8'), 't0, shared\n');
      assert.equal(fs.readFileSync(seconds[2], 'utf8'), 't2, shared');
      captionFiles.forEach((f, i) => assert.deepEqual(fs.readFileSync(f), captionsBefore[i], `g${i}.txt untouched`));
      await waitFor(async () => (await view.locator('#grid .grid-card[data-index="0"] .grid-label').textContent()) === 't0, shared', 'the card follows its second caption', 30_000);
      await vscode.commands.executeCommand('imageCaptioner.undoBulkEdit');
      seconds.forEach((f, i) => assert.deepEqual(fs.existsSync(f) ? fs.readFileSync(f) : undefined, secondsBefore[i], `g${i}.tags.txt restored`));
      await toggle.selectOption('caption');
      await waitFor(async () => (await view.locator('#grid .grid-card[data-index="0"] .grid-label').textContent()) === CAPTIONS[0].trim(), 'back to the captions');
    } finally {
      await config.update('secondCaption.extension', undefined, vscode.ConfigurationTarget.Global);
      await waitFor(() => api.dataset.state === 'ready' && !api.dataset.index?.options.secondCaptionExtension, 'the dataset re-indexed without second captions', 30_000);
      for (const f of seconds) fs.rmSync(f, { force: true });
    }
  });

  it('rates the selection with a digit key and moves it to the trash with Delete, both undone', async () => {
    const gallery = api.gallery.panel!;
    const root = api.dataset.index!.rootPath;
    const ratingsFile = path.join(root, '.image-captioner', 'ratings.json');
    const metaExisted = fs.existsSync(path.dirname(ratingsFile));
    const ratingsBefore = fs.existsSync(ratingsFile) ? fs.readFileSync(ratingsFile) : undefined;
    const trash = path.join(root, '_trash', FOLDER);
    const view = await frame();
    try {
      await view.locator('#grid .grid-card[data-index="0"]').click();
      await view.locator('#grid .grid-card[data-index="1"]').click({ modifiers: ['Shift'] });
      await waitFor(() => gallery.selectedRelPaths.length === 2, 'two images selected');
      await (await getWorkbenchPage()).keyboard.press('5');
      await waitFor(() => fs.existsSync(ratingsFile) && /"gallery-suite\/g1\.jpg": 5\n/.test(fs.readFileSync(ratingsFile, 'utf8')), 'both rated 5 in ratings.json');
      assert.match(fs.readFileSync(ratingsFile, 'utf8'), /"gallery-suite\/g0\.jpg": 5,\n/);
      const stars = (i: number) => view.locator(`#grid .grid-card[data-index="${i}"] .grid-stars`);
      await waitFor(async () => (await stars(1).textContent()) === '★★★★★' && (await stars(0).isVisible()), 'the cards show the stars');
      assert.equal(await stars(2).isVisible(), false, 'an unrated card shows none');
      await vscode.commands.executeCommand('imageCaptioner.undoRating');
      await waitFor(() => !fs.readFileSync(ratingsFile, 'utf8').includes('gallery-suite/'), 'Undo Rating takes both back');
      await waitFor(async () => !(await stars(0).isVisible()) && !(await stars(1).isVisible()), 'the cards drop the stars');

      await view.locator('#grid .grid-card[data-index="4"]').click();
      await waitFor(() => gallery.selectedRelPaths.join() === `${FOLDER}/g4.jpg`, 'g4 alone selected');
      const imageBytes = fs.readFileSync(path.join(folder, 'g4.jpg'));
      const captionBytes = fs.readFileSync(captionFiles[4]);
      await (await getWorkbenchPage()).keyboard.press('Delete');
      await waitFor(() => fs.existsSync(path.join(trash, 'g4.jpg')) && fs.existsSync(path.join(trash, 'g4.txt')), 'g4 and its caption in _trash/');
      assert.ok(!fs.existsSync(path.join(folder, 'g4.jpg')) && !fs.existsSync(captionFiles[4]), 'nothing of g4 left in its folder');
      await waitFor(() => !gallery.shownRelPaths.includes(`${FOLDER}/g4.jpg`), 'the gallery drops the trashed image');
      await vscode.commands.executeCommand('imageCaptioner.undoTrash');
      await waitFor(() => fs.existsSync(captionFiles[4]), 'Undo puts g4 back');
      assert.deepEqual(fs.readFileSync(path.join(folder, 'g4.jpg')), imageBytes);
      assert.deepEqual(fs.readFileSync(captionFiles[4]), captionBytes);
    } finally {
      fs.rmSync(path.join(root, '_trash'), { recursive: true, force: true });
      if (ratingsBefore) fs.writeFileSync(ratingsFile, ratingsBefore);
      else if (!metaExisted) fs.rmSync(path.dirname(ratingsFile), { recursive: true, force: true });
      else fs.rmSync(ratingsFile, { force: true });
    }
  });

  it('leaves a caption that is not UTF-8 out of the shared tags (said in the pane), and its edits never write it', async () => {
    await vscode.commands.executeCommand('imageCaptioner.openGallery', vscode.Uri.file(folder));
    const gallery = await waitFor(() => (api.gallery.panel?.isReady ? api.gallery.panel : undefined), 'the gallery panel ready', 30_000);
    const bad = Buffer.from([0x6f, 0x68, 0x77, 0x78, 0x2c, 0x20, 0xff, 0xfe, 0x0a]); // "ohwx, " then bytes that are no UTF-8
    const goodBefore = fs.readFileSync(captionFiles[4]);
    const badBefore = fs.readFileSync(captionFiles[5]);
    fs.writeFileSync(captionFiles[5], bad);
    const view = await frame();
    try {
      // the gallery has read the new bytes (its refresh after the watcher) before the clicks: a refresh between them would move nothing, but is not what this test is about
      const g5 = path.join(folder, 'g5.jpg');
      await waitFor(() => api.dataset.index!.findImage(g5)?.captionState === 'unreadable' && gallery.shownRelPaths.length === CAPTIONS.length, 'g5 read as unreadable and every card shown', 30_000);
      await view.locator('#grid .grid-card[data-index="4"]').click();
      await waitFor(() => gallery.selectedRelPaths.join() === `${FOLDER}/g4.jpg`, 'g4 alone selected');
      await view.locator('#grid .grid-card[data-index="5"]').click({ modifiers: ['Shift'] });
      const shared = await waitFor(() => (gallery.selectedRelPaths.length === 2 && gallery.shared?.selected === 2 && gallery.shared.unreadable === 1 ? gallery.shared : undefined), 'the pane counts the unreadable caption apart', 30_000).catch((err: Error) => {
        const g5 = api.dataset.index!.findImage(path.join(folder, 'g5.jpg'));
        throw new Error(`${err.message}: pane ${JSON.stringify(gallery.shared)}, selected ${gallery.selectedRelPaths.join()}, g5 ${g5?.captionState} ${JSON.stringify(g5 && api.dataset.texts?.get(g5))}`);
      });
      assert.deepEqual(shared.all, ['ohwx', '1girl', 'smile'], "g4's tags: an unreadable caption is no empty tag list");
      await waitFor(async () => /2 selected \(1 unreadable caption file \(not UTF-8, too large or not a file\) left out\)/.test((await view.locator('.shared-summary').textContent()) ?? ''), 'the pane says what it left out');
      const outcome = await gallery.runTagAction({ kind: 'remove', tag: 'ohwx' }, true);
      assert.equal(outcome.kind, 'applied');
      assert.equal(fs.readFileSync(captionFiles[4], 'utf8'), '1girl, smile\n');
      assert.deepEqual(fs.readFileSync(captionFiles[5]), bad, 'the unreadable caption is not written');
      await vscode.commands.executeCommand('imageCaptioner.undoBulkEdit');
      assert.deepEqual(fs.readFileSync(captionFiles[4]), goodBefore);
    } finally {
      fs.writeFileSync(captionFiles[5], badBefore);
      fs.writeFileSync(captionFiles[4], goodBefore);
    }
  });
});
