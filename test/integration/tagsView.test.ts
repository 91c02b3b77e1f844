// The Tags view, Remove Everywhere with undo to the byte, and tag autocomplete in the caption editor, in a real VS Code.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EditOutcome } from '../../src/commands/editCommands';
import type { ImageCaptionerApi } from '../../src/extension';
import { activateExtension, closeAllEditors, openCaptionEditor, waitFor } from './extensionApi';
import { getWorkbenchPage, hasBrowser, screenshot, webviewFrame } from './browser';

describe('tags view and autocomplete', function () {
  this.timeout(90_000);
  let api: ImageCaptionerApi;
  /** This suite's own folder in the sample dataset. */
  let folder: string;
  const CAPTIONS: Record<string, string> = {
    a: 'sks, red hair, smile\n',
    b: 'red hair, watermark, dress',
    c: 'red hair, Smile, watermark\r\n',
  };
  const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('imageCaptioner');
  /** Every caption file of the dataset with its bytes. */
  const allCaptionBytes = (): Map<string, Buffer> => {
    const index = api.dataset.index!;
    return new Map(index.images().map((img) => index.captionPath(img)).filter((f) => fs.existsSync(f)).map((f) => [f, fs.readFileSync(f)] as const));
  };

  before(async function () {
    if (!hasBrowser()) this.skip();
    api = await activateExtension();
    folder = path.join(api.dataset.rootPath!, 'tags-suite');
    const photo = fs.readFileSync(api.dataset.index!.imagePath(api.dataset.index!.images().find((img) => img.name === 'sunset.jpg')!));
    fs.mkdirSync(folder);
    for (const [name, caption] of Object.entries(CAPTIONS)) {
      fs.writeFileSync(path.join(folder, `${name}.jpg`), photo);
      fs.writeFileSync(path.join(folder, `${name}.txt`), caption);
    }
    // a booru tag list in the tagcomplete format, with an odd row, inside the dataset
    fs.writeFileSync(path.join(folder, 'tags.csv'), 'long_hair,0,5000,"longhair,long_hairs"\nnot a row\nblue_eyes,0,4000,blueeyes\n');
    await settings().update('tagComplete.file', path.join(folder, 'tags.csv'), vscode.ConfigurationTarget.Global);
    await api.dataset.refresh();
    await waitFor(() => api.dataset.index?.images().filter((i) => i.folder.relPath === 'tags-suite').length === 3, "the suite's images in the index");
    await api.dataset.loadCaptions(api.dataset.index!.images());
  });

  afterEach(closeAllEditors);

  after(async () => {
    await closeAllEditors();
    await vscode.commands.executeCommand('imageCaptioner.lint.clear');
    await settings().update('tagRules', undefined, vscode.ConfigurationTarget.Workspace);
    await settings().update('tagComplete.file', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('imageCaptioner.clearDatasetFilter');
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
    await api?.dataset.refresh();
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('lists the tags of the filtered images with their counts, sorted and searched; a click filters the Dataset view to the tag', async () => {
    await vscode.commands.executeCommand('imageCaptioner.filterDataset', 'path:tags-suite/');
    await api.tags.refresh();
    const rows = (await api.tags.rows()).map((r) => `${r.tag}:${r.count}`);
    assert.deepEqual(rows, ['red hair:3', 'smile:2', 'watermark:2', 'dress:1', 'sks:1']);
    await vscode.commands.executeCommand('imageCaptioner.tags.sortByName');
    assert.deepEqual((await api.tags.rows()).map((r) => r.tag), ['dress', 'red hair', 'sks', 'smile', 'watermark']);
    await vscode.commands.executeCommand('imageCaptioner.tags.search', 'MIL');
    assert.deepEqual((await api.tags.rows()).map((r) => r.tag), ['smile']);
    await vscode.commands.executeCommand('imageCaptioner.tags.clearSearch');
    await vscode.commands.executeCommand('imageCaptioner.tags.sortByCount');

    const smile = (await api.tags.rows()).find((r) => r.tag === 'smile')!;
    await vscode.commands.executeCommand('imageCaptioner.tags.showInDataset', smile);
    assert.equal(api.tree.query, 'tag:"smile"');
    assert.deepEqual(api.tree.visibleImages().map((i) => i.name).sort(), ['a.jpg', 'c.jpg']);
    // the counts follow the Dataset view's filter
    await api.tags.refresh();
    assert.deepEqual((await api.tags.rows()).map((r) => `${r.tag}:${r.count}`), ['red hair:2', 'smile:2', 'sks:1', 'watermark:1']);
    await vscode.commands.executeCommand('imageCaptioner.clearDatasetFilter');
  });

  it('Remove Everywhere rewrites only the captions with the tag, and one undo restores every byte', async () => {
    const before = allCaptionBytes();
    const outcome = await vscode.commands.executeCommand<EditOutcome>('imageCaptioner.tags.remove', { tag: 'watermark', autoApply: true });
    assert.deepEqual(outcome, { kind: 'applied', changed: 2, conflicts: 0 });
    const changed = [...allCaptionBytes()].filter(([f, bytes]) => !bytes.equals(before.get(f)!)).map(([f]) => path.relative(folder, f)).sort();
    assert.deepEqual(changed, ['b.txt', 'c.txt']);
    assert.equal(fs.readFileSync(path.join(folder, 'b.txt'), 'utf8'), 'red hair, dress');
    assert.equal(fs.readFileSync(path.join(folder, 'c.txt'), 'utf8'), 'red hair, Smile\r\n', 'the CRLF line break is kept');
    await vscode.commands.executeCommand('imageCaptioner.undoBulkEdit');
    for (const [f, bytes] of allCaptionBytes()) assert.ok(bytes.equals(before.get(f)!), `${f} restored byte for byte`);
    await waitFor(async () => (await api.tags.rows()).some((r) => r.tag === 'watermark' && r.count === 2), 'the Tags view counting watermark again');
  });

  it('autocomplete proposes the most frequent tag for a prefix and resolves an alias from the tag list, in the host service and in the editor', async () => {
    assert.equal((await api.tagCompletion.suggest('re', 5))[0].tag, 'red hair');
    assert.deepEqual((await api.tagCompletion.suggest('longha', 5))[0], { tag: 'long hair', count: 5000, source: 'list', alias: 'longhair', category: 0 });
    const withoutRedHair = (await api.tagCompletion.suggest('re', 5, ['Red_Hair'])).map((s) => s.tag);
    assert.ok(!withoutRedHair.includes('red hair') && withoutRedHair.includes('dress'), `a tag already in the caption (any case, _ or space) is not proposed: ${withoutRedHair.join(', ')}`);

    const image = api.dataset.index!.images().find((img) => img.folder.relPath === 'tags-suite' && img.name === 'b.jpg')!;
    await openCaptionEditor(api, image);
    const frame = await webviewFrame(await getWorkbenchPage(), { title: image.name, selector: '#caption' });
    const textarea = frame.locator('#caption textarea');
    await textarea.waitFor({ state: 'visible' });
    await textarea.click();
    await textarea.press('Control+End');
    await textarea.pressSequentially(', sm');
    const first = frame.locator('#tag-suggestions .tag-suggestion').first();
    await waitFor(async () => (await first.textContent())?.startsWith('smile'), 'the suggestion "smile" first');
    await screenshot('tag-autocomplete');
    await textarea.press('Tab');
    assert.equal(await textarea.inputValue(), 'red hair, watermark, dress, smile, ');
    await textarea.pressSequentially('longha');
    await waitFor(async () => (await first.textContent())?.includes('long hair ← longhair'), 'the alias resolved to its tag');
    await textarea.press('Enter');
    assert.equal(await textarea.inputValue(), 'red hair, watermark, dress, smile, long hair, ');
    // "smile" (the dataset's most frequent s- tag) is in the caption now: "sks" comes first
    await textarea.pressSequentially('s');
    await waitFor(async () => (await first.textContent())?.startsWith('sks'), 'the suggestion "sks" first, "smile" being in the caption');
    await textarea.press('Escape');
    assert.equal(await frame.locator('#tag-suggestions').isHidden(), true);
    assert.equal(await textarea.inputValue(), 'red hair, watermark, dress, smile, long hair, s');
    // the accepted text reached the caption document (the host's model), not only the textarea
    await waitFor(() => api.editors.activeDocument?.text === 'red hair, watermark, dress, smile, long hair, s', 'the caption document to hold the typed text');
    await closeAllEditors();
    // VS Code closes the editor without waiting for the extension's revert of the caption's text
    await waitFor(() => !vscode.workspace.textDocuments.some((d) => d.isDirty && d.uri.fsPath.startsWith(folder)), 'the caption reverted');
    assert.equal(fs.readFileSync(path.join(folder, 'b.txt'), 'utf8'), CAPTIONS.b, 'typing in the editor saved nothing');
  });

  it('the context menu writes the tag rules; Lint Captions reports them with a quick fix; Apply Tag Rules fixes every caption, undoable', async () => {
    await vscode.commands.executeCommand('imageCaptioner.tags.setAlwaysFirst', { tag: 'smile' });
    await vscode.commands.executeCommand('imageCaptioner.tags.addBanned', { tag: 'watermark' });
    await vscode.commands.executeCommand('imageCaptioner.tags.addRequired', { tag: 'sks', folder: 'tags-suite' });
    assert.deepEqual(settings().inspect('tagRules')?.workspaceValue, { alwaysFirst: ['smile'], banned: ['watermark'], required: { 'tags-suite': ['sks'] } });

    await vscode.commands.executeCommand('imageCaptioner.lint.run', vscode.Uri.file(folder));
    // the suite's three images are one photo: only the tag rules' problems are looked at
    const TAG_RULES = new Set(['tag-order', 'banned-tag', 'missing-required-tag']);
    const codes = (name: string): string[] => vscode.languages.getDiagnostics(vscode.Uri.file(path.join(folder, name))).filter((d) => d.source === 'Image Captioner' && TAG_RULES.has(String(d.code))).map((d) => `${d.code}@${d.range.start.character}`).sort();
    assert.deepEqual(codes('a.txt'), ['tag-order@15']);
    assert.deepEqual(codes('b.txt'), ['banned-tag@10', 'missing-required-tag@0']);
    assert.deepEqual(codes('c.txt'), ['banned-tag@17', 'missing-required-tag@0', 'tag-order@10']);
    const doc = await vscode.workspace.openTextDocument(path.join(folder, 'a.txt'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(0, 15, 0, 20));
    assert.ok(actions.some((a) => a.title === 'Put the tags in rule order'), actions.map((a) => a.title).join(', '));

    const before = allCaptionBytes();
    const outcome = await vscode.commands.executeCommand<EditOutcome>('imageCaptioner.applyTagRules', { autoApply: true });
    assert.deepEqual(outcome, { kind: 'applied', changed: 3, conflicts: 0 });
    assert.deepEqual(['a', 'b', 'c'].map((n) => fs.readFileSync(path.join(folder, `${n}.txt`), 'utf8')), ['smile, sks, red hair\n', 'red hair, dress', 'Smile, red hair\r\n']);
    await vscode.commands.executeCommand('imageCaptioner.undoBulkEdit');
    for (const [f, bytes] of allCaptionBytes()) assert.ok(bytes.equals(before.get(f)!), `${f} restored byte for byte`);
  });

  it('the caption editor shows the rules the caption breaks; one click removes a banned tag, one undo puts it back', async () => {
    // the rules the test above makes through the Tags view (set here too, so this test also runs alone)
    await settings().update('tagRules', { alwaysFirst: ['smile'], banned: ['watermark'], required: { 'tags-suite': ['sks'] } }, vscode.ConfigurationTarget.Workspace);
    const image = api.dataset.index!.images().find((img) => img.folder.relPath === 'tags-suite' && img.name === 'b.jpg')!;
    await openCaptionEditor(api, image);
    const frame = await webviewFrame(await getWorkbenchPage(), { title: image.name, selector: '#caption' });
    const notes = frame.locator('.tag-rule-notes .tag-rule-note');
    await waitFor(async () => (await notes.count()) === 2, 'two tag rule notes under the caption');
    assert.deepEqual(await notes.locator('.tag-rule-message').allTextContents(), ['"watermark" is a banned tag (tag rules).', 'Required tag "sks" is missing (tag rules in folders matching "tags-suite").']);
    await frame.locator('.tag-rule-note.banned-tag .tag-rule-fix').click();
    const textarea = frame.locator('#caption textarea');
    await waitFor(async () => (await textarea.inputValue()) === 'red hair, dress', 'the banned tag removed in the editor');
    await waitFor(() => api.editors.activeDocument?.text === 'red hair, dress', 'the caption document follows');
    await waitFor(async () => (await notes.count()) === 1, 'only the missing tag left');
    await frame.locator('.tag-rule-note.missing-required-tag .tag-rule-fix').click();
    await waitFor(() => api.editors.activeDocument?.text === 'red hair, dress, sks', 'the required tag added at the end');
    await waitFor(async () => (await notes.count()) === 0 && (await frame.locator('.tag-rule-notes').isHidden()), 'no notes left');
    await vscode.commands.executeCommand('undo');
    await waitFor(() => api.editors.activeDocument?.text === 'red hair, dress', 'one undo takes back the added tag');
    await vscode.commands.executeCommand('undo');
    await waitFor(() => api.editors.activeDocument?.text === CAPTIONS.b, 'a second undo puts the banned tag back');
    await waitFor(async () => (await notes.count()) === 2, 'the notes back');
    assert.equal(fs.readFileSync(path.join(folder, 'b.txt'), 'utf8'), CAPTIONS.b, 'nothing saved');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
