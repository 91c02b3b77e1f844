// WD taggers in a real VS Code: the tiny tagger (test/fixtures/localModels/taggerModel.ts) configured as
// a local folder model tags images through the worker and the batch engine; the tag tools see the result.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import * as vscode from 'vscode';
import type { ImageCaptionerApi } from '../../src/extension';
import type { BatchReport } from '../../src/services/batchRunner';
import { writeTagger } from '../fixtures/localModels/taggerModel';
import { activateExtension, captionEditorTabs, closeAllEditors, openCaptionEditor, waitFor } from './extensionApi';
import { getWorkbenchPage, hasBrowser, screenshot, webviewFrame } from './browser';

/** What the tiny tagger writes with the default options (from its designed scores, see taggerWorker.test.ts). */
const RED_TAGS = ['red character', 'red theme', 'hat \\(object\\)', 'solid color', 'simple background'];
const BLUE_TAGS = ['^_^', 'blue theme', 'solid color', 'simple background'];

describe('WD taggers', function () {
  this.timeout(120_000);
  let api: ImageCaptionerApi;
  let modelRoot: string;
  let folder: string;
  let red: string;
  let blue: string;
  const config = () => vscode.workspace.getConfiguration('imageCaptioner');
  const captionOf = (image: string): string => image.replace(/\.png$/, '.txt');
  const read = (image: string): string | undefined => (fs.existsSync(captionOf(image)) ? fs.readFileSync(captionOf(image), 'utf8') : undefined);
  const write = (image: string, text: string | undefined): void => {
    if (text === undefined) fs.rmSync(captionOf(image), { force: true });
    else fs.writeFileSync(captionOf(image), text);
    api.dataset.noteCaption(image, text); // as the extension does for its own writes, not waiting on the watcher
  };
  const tag = async (...images: string[]): Promise<BatchReport | undefined> => {
    const uris = images.map((image) => vscode.Uri.file(image));
    return (await vscode.commands.executeCommand('imageCaptioner.tagImages', uris[0], uris)) as BatchReport | undefined;
  };

  before(async () => {
    api = await activateExtension();
    modelRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ic-tagger-'));
    const model = await writeTagger(path.join(modelRoot, 'tiny-wd-tagger'));
    await config().update('models', [{ id: 'test/tiny-tagger', label: 'Tiny Tagger', preset: 'local', model, local: { task: 'wd-tagger' } }], vscode.ConfigurationTarget.Global);
    await config().update('tagger.model', 'test/tiny-tagger', vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('imageCaptioner.local').update('allowDownloads', false, vscode.ConfigurationTarget.Global);
    // two images of known colours in a folder of their own, removed again in `after`
    folder = path.join(api.dataset.rootPath!, 'tagging-test');
    fs.mkdirSync(folder, { recursive: true });
    red = path.join(folder, 'tagtest-red.png');
    blue = path.join(folder, 'tagtest-blue.png');
    await sharp({ create: { width: 64, height: 48, channels: 3, background: '#e01010' } }).png().toFile(red);
    await sharp({ create: { width: 30, height: 50, channels: 3, background: '#1010f0' } }).png().toFile(blue);
    await waitFor(() => api.dataset.index?.findImage(red) && api.dataset.index.findImage(blue), 'the new images in the index');
    await waitFor(() => api.captioning.registry.find('test/tiny-tagger'), 'the tagger in the registry');
  });

  after(async () => {
    await closeAllEditors();
    for (const key of ['models', 'tagger.model', 'batch.mode', 'tagger.triggerWord', 'tagger.includeRating']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('imageCaptioner.local').update('allowDownloads', undefined, vscode.ConfigurationTarget.Global);
    await api.localModels.client.stop();
    fs.rmSync(folder, { recursive: true, force: true });
    fs.rmSync(modelRoot, { recursive: true, force: true });
    await waitFor(() => !api.dataset.index?.findImage(red), 'the test images gone from the index');
  });

  it('tags new images through the batch engine: the caption bytes on disk, and the tag: filter finds them at once', async () => {
    write(red, undefined);
    write(blue, undefined);
    const report = await tag(red, blue);
    assert.equal(report?.kind, 'tags');
    assert.equal(report?.summary.written, 2);
    assert.equal(read(red), RED_TAGS.join(', '));
    assert.equal(read(blue), BLUE_TAGS.join(', '));
    const relative = (images: readonly { name: string }[]) => images.map((img) => img.name).sort();
    assert.deepEqual(relative(await api.tree.imagesMatching('tag:"red theme"')), ['tagtest-red.png']);
    assert.deepEqual(relative((await api.tree.imagesMatching('tag:"solid color"')).filter((img) => img.name.startsWith('tagtest-'))), ['tagtest-blue.png', 'tagtest-red.png']);
    assert.deepEqual(relative(await api.tree.imagesMatching('tag:"long hair"')).filter((n) => n === 'tagtest-red.png'), [], 'below the general threshold');
    // the tag statistics read the new captions too (the folder holds just the two images)
    const folderUri = vscode.Uri.file(folder);
    await vscode.commands.executeCommand('imageCaptioner.showStatistics', folderUri, [folderUri]);
    const stats = await waitFor(
      () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'imageCaptioner-preview' && d.uri.path.startsWith('/Statistics') && d.uri.path.includes('tagging-test')),
      'the statistics document',
    );
    assert.match(stats.getText(), /\| solid color \| 2 \|/, stats.getText());
    assert.match(stats.getText(), /\| red theme \| 1 \|/);
  });

  it('merges into captions by the mode: append and prepend without duplicates (order kept, line break kept), skip leaves a caption alone', async () => {
    await config().update('batch.mode', 'append', vscode.ConfigurationTarget.Global);
    write(red, '1girl, Red Theme\n');
    await tag(red);
    assert.equal(read(red), ['1girl', 'Red Theme', 'red character', 'hat \\(object\\)', 'solid color', 'simple background'].join(', ') + '\n');

    await config().update('batch.mode', 'prepend', vscode.ConfigurationTarget.Global);
    write(red, '1girl, solid color');
    await tag(red);
    assert.equal(read(red), [...RED_TAGS, '1girl'].join(', '));

    await config().update('batch.mode', 'skip', vscode.ConfigurationTarget.Global);
    write(red, 'A red square.\n');
    write(blue, undefined);
    const report = await tag(red, blue);
    assert.equal(read(red), 'A red square.\n');
    assert.equal(read(blue), BLUE_TAGS.join(', '));
    assert.deepEqual(report?.summary.outcomes.filter((o) => o.kind === 'skipped').map((o) => o.kind === 'skipped' && [path.basename(o.item.imagePath), o.reason]), [['tagtest-red.png', 'had-caption']]);
  });

  it('writes the options of imageCaptioner.tagger.* (trigger word first, then the rating)', async () => {
    await config().update('batch.mode', 'overwrite', vscode.ConfigurationTarget.Global);
    await config().update('tagger.triggerWord', 'sks style', vscode.ConfigurationTarget.Global);
    await config().update('tagger.includeRating', true, vscode.ConfigurationTarget.Global);
    try {
      write(red, undefined);
      await tag(red);
      assert.equal(read(red), ['sks style', 'general', ...RED_TAGS].join(', '));
    } finally {
      await config().update('tagger.triggerWord', undefined, vscode.ConfigurationTarget.Global);
      await config().update('tagger.includeRating', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a tagger chosen as the captioning model tags in Caption Selected too (a tag batch, tags merged as tags)', async () => {
    await config().update('batch.mode', 'append', vscode.ConfigurationTarget.Global);
    await api.captioning.registry.select(api.captioning.registry.find('test/tiny-tagger')!);
    write(blue, 'blue theme, kept');
    const uri = vscode.Uri.file(blue);
    const report = (await vscode.commands.executeCommand('imageCaptioner.captionSelected', uri, [uri])) as BatchReport | undefined;
    assert.equal(report?.kind, 'tags');
    assert.equal(read(blue), ['blue theme', 'kept', '^_^', 'solid color', 'simple background'].join(', '));
  });

  it('Retry Failed tags a failed image again with the options its job started with (kept in the journal), merged by the job\'s mode', async () => {
    const broken = path.join(folder, 'tagtest-broken.png');
    fs.writeFileSync(broken, 'not a png at all');
    await waitFor(() => api.dataset.index?.findImage(broken), 'the broken image in the index');
    await config().update('batch.mode', 'append', vscode.ConfigurationTarget.Global);
    await config().update('tagger.triggerWord', 'sks style', vscode.ConfigurationTarget.Global);
    try {
      write(red, 'kept, red theme');
      write(broken, 'kept\n');
      const first = await tag(red, broken);
      assert.equal(first?.summary.failed, 1);
      assert.equal(read(broken), 'kept\n', 'a failed image keeps its caption');
      assert.equal(read(red), ['kept', 'red theme', 'sks style', 'red character', 'hat \\(object\\)', 'solid color', 'simple background'].join(', '));
      // the image is repaired and the setting changed before the retry: the job keeps its own options
      await sharp({ create: { width: 64, height: 48, channels: 3, background: '#e01010' } }).png().toFile(broken + '.tmp');
      fs.renameSync(broken + '.tmp', broken);
      await config().update('tagger.triggerWord', 'other', vscode.ConfigurationTarget.Global);
      const retried = (await vscode.commands.executeCommand('imageCaptioner.retryFailedCaptions')) as BatchReport | undefined;
      assert.equal(retried?.kind, 'tags');
      assert.equal(retried?.summary.written, 1);
      assert.equal(read(broken), ['kept', 'sks style', ...RED_TAGS].join(', ') + '\n');
    } finally {
      await config().update('tagger.triggerWord', undefined, vscode.ConfigurationTarget.Global);
      fs.rmSync(broken, { force: true });
      fs.rmSync(captionOf(broken), { force: true });
    }
  });

  it('Resume from its quick pick finishes a tag job with the job\'s own options and mode: only what the job left, bytes on disk', async () => {
    const broken = path.join(folder, 'tagtest-resume.png');
    fs.writeFileSync(broken, 'not a png yet');
    await waitFor(() => api.dataset.index?.findImage(broken), 'the broken image in the index');
    await config().update('batch.mode', 'append', vscode.ConfigurationTarget.Global);
    await config().update('tagger.triggerWord', 'sks style', vscode.ConfigurationTarget.Global);
    try {
      write(red, 'kept');
      write(broken, 'kept\n');
      const first = await tag(red, broken);
      assert.deepEqual([first?.summary.written, first?.summary.failed], [1, 1]);
      assert.ok(first?.summary.journalFile && fs.existsSync(first.summary.journalFile), 'the job stays for Resume');
      // what the job finished is not its to touch again; the failed image is repaired; the settings change
      write(red, 'edited after the job');
      await sharp({ create: { width: 64, height: 48, channels: 3, background: '#e01010' } }).png().toFile(broken + '.tmp');
      fs.renameSync(broken + '.tmp', broken);
      await config().update('tagger.triggerWord', 'other', vscode.ConfigurationTarget.Global);
      await config().update('batch.mode', 'overwrite', vscode.ConfigurationTarget.Global);

      let ended = false;
      const resuming = Promise.resolve(vscode.commands.executeCommand('imageCaptioner.resumeCaptioning')).finally(() => (ended = true));
      if (hasBrowser()) {
        // the newest job comes first: this one, labelled as a tag job of the tiny tagger in its own mode
        const row = (await getWorkbenchPage()).locator('.quick-input-widget .quick-input-list .monaco-list-row').first();
        await row.waitFor({ timeout: 15_000 });
        assert.match((await row.getAttribute('aria-label')) ?? '', /^1 of 2 images left, tags · Tiny Tagger · append, /);
      }
      // the quick pick opens once the journals are read: accept its first (newest) job as soon as it is there
      for (const deadline = Date.now() + 30_000; !ended && Date.now() < deadline; ) {
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        await Promise.race([resuming, new Promise((resolve) => setTimeout(resolve, 200))]);
      }
      const resumed = (await resuming) as BatchReport | undefined;
      assert.equal(resumed?.kind, 'tags');
      assert.deepEqual([resumed?.summary.written, resumed?.summary.failed, resumed?.summary.pending], [1, 0, 0]);
      assert.equal(read(broken), ['kept', 'sks style', ...RED_TAGS].join(', ') + '\n', 'appended with the job\'s trigger word, not the setting of now');
      assert.equal(read(red), 'edited after the job', 'an image the job had finished is left alone');
      assert.equal(fs.existsSync(first.summary.journalFile), false, 'the finished job is gone from the list');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      await config().update('tagger.triggerWord', undefined, vscode.ConfigurationTarget.Global);
      fs.rmSync(broken, { force: true });
      fs.rmSync(captionOf(broken), { force: true });
    }
  });

  it('offers a tagger candidate in the caption editor: chips with confidences, a chip clicked away, kept as the caption', async function () {
    if (!hasBrowser()) this.skip();
    write(red, undefined);
    const image = api.dataset.index!.findImage(red)!;
    await api.captioning.registry.select(api.captioning.registry.find('test/tiny-tagger')!);
    await openCaptionEditor(api, image);
    const frame = await webviewFrame(await getWorkbenchPage(), { title: image.name, selector: '#caption' });
    await frame.locator('vscode-button.action-generate').click();
    const card = frame.locator('.candidate[data-state="done"]');
    await card.waitFor({ timeout: 60_000 });
    const chips = card.locator('.tag-chip');
    await waitFor(async () => (await chips.count()) === RED_TAGS.length, 'one chip per tag');
    const texts = await chips.evaluateAll((nodes) => nodes.map((n) => n.textContent ?? ''));
    assert.deepEqual(texts.map((t) => t.replace(/ \d\.\d\d$/, '')), RED_TAGS);
    for (const text of texts) assert.match(text, / (0\.[3-9]\d|1\.00)$/, `a confidence on ${text}`);
    await screenshot('tagger-candidate-chips');
    await chips.filter({ hasText: 'hat' }).click();
    await waitFor(async () => (await chips.count()) === RED_TAGS.length - 1, 'the chip dropped');
    await card.locator('vscode-button.action-replace').click();
    await waitFor(() => captionEditorTabs()[0]?.isDirty, 'dirty editor');
    await vscode.commands.executeCommand('workbench.action.files.save');
    const expected = RED_TAGS.filter((t) => !t.startsWith('hat')).join(', ');
    await waitFor(() => read(red)?.replace(/^\uFEFF/, '') === expected, `the kept tags on disk (${read(red)})`);
  });
});
