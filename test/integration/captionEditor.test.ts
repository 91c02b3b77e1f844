// The caption editor in a real VS Code, driven through the browser: typing, saving, undo, navigation, external edits.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { FrameLocator } from 'playwright-core';
import type { ImageCaptionerApi } from '../../src/extension';
import type { ImageEntry } from '../../src/core/dataset/types';
import { activateExtension, activeCaptionEditorPath, captionEditorTabs, closeAllEditors, openCaptionEditor, textDocumentInStepWithDisk, waitFor } from './extensionApi';
import { getWorkbenchPage, hasBrowser, screenshot, webviewFrame } from './browser';

async function editorFrame(image: ImageEntry): Promise<FrameLocator> {
  const frame = await webviewFrame(await getWorkbenchPage(), { title: image.name, selector: '#caption' });
  await frame.locator('#caption textarea').waitFor({ state: 'visible' });
  return frame;
}

async function textareaValue(frame: FrameLocator): Promise<string> {
  return frame.locator('#caption textarea').inputValue();
}

describe('caption editor', function () {
  let api: ImageCaptionerApi;
  const images = (): readonly ImageEntry[] => api.dataset.index!.images();
  const captionOf = (img: ImageEntry): string => api.dataset.index!.captionPath(img);
  const editable = (img: ImageEntry): boolean => !img.collision && img.captionState !== 'unreadable';

  before(async function () {
    if (!hasBrowser()) this.skip();
    api = await activateExtension();
  });

  afterEach(closeAllEditors);

  it('shows the image, its caption and the status line', async () => {
    const image = images().find((img) => img.captionState === 'text' && editable(img))!;
    await openCaptionEditor(api, image);
    const frame = await editorFrame(image);
    const onDisk = fs.readFileSync(captionOf(image), 'utf8').replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
    await waitFor(async () => (await textareaValue(frame)) === onDisk, 'caption text in the webview');
    const status = (await frame.locator('.status').textContent()) ?? '';
    assert.match(status, new RegExp(`${image.position + 1} of ${images().length}`));
    assert.match(status, /\d+×\d+ px/);
    assert.match((await frame.locator('.status-caption').textContent()) ?? '', /\d+ chars\s+·\s+\d+ words\s+·\s+~\d+\/75 CLIP tokens/);
    const loaded = await frame.locator('img.image').evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).complete && (img as unknown as { naturalWidth: number }).naturalWidth > 0);
    assert.equal(loaded, true, 'the image decoded in the webview');
    await screenshot('caption-editor');
  });

  it('typing marks the editor dirty, saving writes the caption file, undo restores it', async () => {
    const image = images().find((img) => img.captionState === 'text' && editable(img))!;
    const file = captionOf(image);
    const original = fs.readFileSync(file);
    await openCaptionEditor(api, image);
    const frame = await editorFrame(image);
    const textarea = frame.locator('#caption textarea');
    await textarea.click();
    await textarea.press('End');
    await textarea.pressSequentially(', typed in the browser');
    await waitFor(() => captionEditorTabs()[0]?.isDirty, 'dirty tab');
    // a save takes what the host has: wait until every keystroke reached it
    const typed = await textareaValue(frame);
    await waitFor(() => api.editors.activeDocument?.text === typed, 'the typing in the host document');
    assert.deepEqual(fs.readFileSync(file), original, 'nothing is written before saving');
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor(() => fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').replace(/\r\n/g, '\n') === typed, 'saved caption');
    // The tab model reaches the extension host after the save resolves: wait for it to say clean.
    await waitFor(() => captionEditorTabs()[0]?.isDirty === false, 'the tab clean after saving');
    // Typing is grouped into a few undo steps (pauses split them), never one step per key.
    const originalText = original.toString('utf8').replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
    let undos = 0;
    while ((await textareaValue(frame)) !== originalText && undos < 6) {
      const before = await textareaValue(frame);
      await vscode.commands.executeCommand('undo');
      undos++;
      await waitFor(async () => (await textareaValue(frame)) !== before, `undo ${undos} in the webview`);
    }
    assert.equal(await textareaValue(frame), originalText, `back to the original after ${undos} undo steps`);
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor(() => fs.readFileSync(file).equals(original), 'original bytes back on disk (BOM and newlines kept)').catch((err) => {
      throw new Error(`${err.message}: ${JSON.stringify(fs.readFileSync(file, 'latin1'))} vs ${JSON.stringify(original.toString('latin1'))}`);
    });
  });

  it('creates the caption file of an uncaptioned image only when saved', async () => {
    const image = images().find((img) => img.captionState === 'none' && editable(img))!;
    const file = captionOf(image);
    assert.equal(fs.existsSync(file), false);
    await openCaptionEditor(api, image);
    const frame = await editorFrame(image);
    assert.equal(await textareaValue(frame), '');
    await frame.locator('#caption textarea').pressSequentially('a brand new caption');
    await waitFor(() => captionEditorTabs()[0]?.isDirty && api.editors.activeDocument?.text === 'a brand new caption', 'dirty tab, the typing in the host document');
    assert.equal(fs.existsSync(file), false, 'no file before saving');
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor(() => fs.existsSync(file) && fs.readFileSync(file, 'utf8') === 'a brand new caption', 'new caption file');
    await waitFor(() => api.dataset.index!.findImage(api.dataset.index!.imagePath(image))?.captionState === 'text', 'the tree knows the image is captioned');
  });

  it('next and previous move through the dataset in one tab, saving the caption on the way', async () => {
    // the last captioned image with two after it: other suites edit the first captions on disk behind VS Code's back
    const all = images();
    const first = [...all].reverse().find((img) => img.position <= all.length - 3 && editable(img) && img.captionState === 'text')!;
    assert.ok(first, 'a captioned image with two images after it');
    const at = all.indexOf(first);
    const file = captionOf(first);
    const original = fs.readFileSync(file);
    await openCaptionEditor(api, first);
    const frame = await editorFrame(first);
    await frame.locator('#caption textarea').pressSequentially(' edited');
    const typed = await waitFor(async () => {
      const value = await textareaValue(frame);
      return value.includes(' edited') ? value : undefined;
    }, 'the typed text in the webview');
    await waitFor(() => captionEditorTabs()[0]?.isDirty && api.editors.activeDocument?.text === typed, 'dirty tab, the typing in the host document');
    try {
      await vscode.commands.executeCommand('imageCaptioner.nextImage');
      await waitFor(() => fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').replace(/\r\n/g, '\n') === typed, `${first.name}'s caption saved on the way`);
    } finally {
      fs.writeFileSync(file, original);
    }
    await waitFor(() => activeCaptionEditorPath() === api.dataset.index!.imagePath(images()[at + 1]), 'second image active');
    await waitFor(() => captionEditorTabs().length === 1, 'one caption editor tab').catch((err) => {
      throw new Error(`${err.message}; tabs: ${captionEditorTabs().map((t) => `${t.label}${t.isDirty ? '*' : ''}`).join(', ')}`);
    });
    await vscode.commands.executeCommand('imageCaptioner.nextImage');
    await waitFor(() => activeCaptionEditorPath() === api.dataset.index!.imagePath(images()[at + 2]), 'third image active');
    await vscode.commands.executeCommand('imageCaptioner.previousImage');
    await waitFor(() => activeCaptionEditorPath() === api.dataset.index!.imagePath(images()[at + 1]), 'back to the second image');
    assert.equal(captionEditorTabs().length, 1);
    assert.equal(captionEditorTabs().some((t) => t.isDirty), false);
  });

  it('Alt+Right and Alt+Left pressed in the caption text move to the next and previous image', async () => {
    const first = images()[3];
    await openCaptionEditor(api, first);
    const frame = await editorFrame(first);
    await frame.locator('#caption textarea').click();
    await frame.locator('#caption textarea').press('Alt+ArrowRight');
    await waitFor(() => activeCaptionEditorPath() === api.dataset.index!.imagePath(images()[4]), 'next image after Alt+Right');
    const second = await editorFrame(images()[4]);
    await second.locator('#caption textarea').click();
    await second.locator('#caption textarea').press('Alt+ArrowLeft');
    await waitFor(() => activeCaptionEditorPath() === api.dataset.index!.imagePath(first), 'previous image after Alt+Left');
  });

  it('next uncaptioned skips captioned images; the webview buttons navigate too', async () => {
    const captioned = images().find((img) => img.captionState === 'text' && editable(img))!;
    await openCaptionEditor(api, captioned);
    const frame = await editorFrame(captioned);
    await frame.locator('#next-uncaptioned').click();
    const target = await waitFor(() => (activeCaptionEditorPath() !== api.dataset.index!.imagePath(captioned) ? activeCaptionEditorPath() : undefined), 'moved');
    const entry = api.dataset.index!.findImage(target)!;
    assert.ok(entry.captionState === 'none' || entry.captionState === 'empty', `${entry.name} is uncaptioned`);
  });

  it('closing a dirty caption editor without saving leaves no unsaved caption behind, even with keystrokes still on their way', async () => {
    // one in the middle: other suites rewrite the first captions on disk, the navigation test the last ones
    const captioned = images().filter((img) => img.captionState === 'text' && editable(img));
    const image = captioned[Math.floor(captioned.length / 2)];
    const file = captionOf(image);
    const original = fs.readFileSync(file);
    const unsaved = (): boolean => vscode.workspace.textDocuments.some((d) => d.uri.fsPath === file && d.isDirty);
    await openCaptionEditor(api, image);
    const frame = await editorFrame(image);
    const textarea = frame.locator('#caption textarea');
    await textarea.click();
    await textarea.press('End');
    await textarea.press('!');
    await waitFor(() => captionEditorTabs()[0]?.isDirty, 'dirty tab');
    // then close at once, as "Don't Save" does, while the host may still be applying the keystrokes
    await textarea.pressSequentially(' and more typing that the user throws away');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await waitFor(() => captionEditorTabs().length === 0, 'the caption editor closed');
    // VS Code closes the editor without waiting for the extension's revert: wait for it, then for any late keystroke
    await waitFor(() => !unsaved() && fs.readFileSync(file).equals(original), 'the caption clean and its file untouched').catch((err) => {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file);
      throw new Error(`${err.message}: document ${doc ? `${doc.isDirty ? 'dirty' : 'clean'} ${JSON.stringify(doc.getText())}` : 'closed'}, file ${JSON.stringify(fs.readFileSync(file, 'utf8'))}`);
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(unsaved(), false, 'no keystroke made the caption dirty again after the revert');
    assert.deepEqual(fs.readFileSync(file), original, 'the file holds its original bytes');
  });

  it('shows a caption changed on disk by another program', async () => {
    const image = images().find((img) => img.captionState === 'text' && editable(img))!;
    const file = captionOf(image);
    const original = fs.readFileSync(file);
    await openCaptionEditor(api, image);
    const frame = await editorFrame(image);
    try {
      fs.writeFileSync(file, 'rewritten by another program');
      await waitFor(async () => (await textareaValue(frame)) === 'rewritten by another program', 'external change in the webview', 20_000);
    } finally {
      // put the caption back and wait until VS Code's model of it has it: a later suite editing this caption must not meet a late reload
      fs.writeFileSync(file, original);
      await textDocumentInStepWithDisk(file);
    }
  });

  it('refuses to edit a caption that is not UTF-8 and leaves its bytes alone', async () => {
    const image = images().find((img) => img.captionState === 'none' && editable(img) && !fs.existsSync(captionOf(img)))!;
    const file = captionOf(image);
    const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x6e, 0x6f, 0x69, 0x72]); // "café noir" in Latin-1
    fs.writeFileSync(file, latin1);
    try {
      await waitFor(() => image.captionState === 'unreadable' || api.dataset.index!.findImage(api.dataset.index!.imagePath(image))?.captionState === 'unreadable', 'unreadable state');
      await openCaptionEditor(api, api.dataset.index!.findImage(api.dataset.index!.imagePath(image))!);
      const frame = await editorFrame(image);
      await frame.locator('.warning').waitFor({ state: 'visible' });
      assert.match((await frame.locator('.warning-text').textContent()) ?? '', /not UTF-8/);
      assert.equal(await frame.locator('#caption textarea').evaluate((t) => (t as unknown as { readOnly: boolean }).readOnly), true);
      assert.deepEqual(fs.readFileSync(file), latin1);
    } finally {
      fs.rmSync(file);
      await waitFor(() => api.dataset.index!.findImage(api.dataset.index!.imagePath(image))?.captionState === 'none', 'state back to no caption');
    }
  });
});
