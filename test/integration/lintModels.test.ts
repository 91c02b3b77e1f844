// Model-based caption lint in a real VS Code: near-duplicate images by perceptual hash (sharp, no model
// download) put diagnostics on both caption files, turning the rule off removes them, and the rules that
// need a model not on this machine are skipped with a note.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import * as vscode from 'vscode';
import type { ImageCaptionerApi } from '../../src/extension';
import { activateExtension, waitFor } from './extensionApi';

/** A gradient with a dark square at (x, y): enough structure that a difference hash is stable under re-encoding. */
function picture(x: number, y: number): ReturnType<typeof sharp> {
  const width = 96;
  const height = 64;
  const pixels = Buffer.alloc(width * height * 3);
  for (let py = 0; py < height; py++) {
    for (let px = 0; px < width; px++) {
      const inSquare = px >= x && px < x + 24 && py >= y && py < y + 24;
      pixels.fill(inSquare ? 20 : Math.round((px / width) * 200 + (py / height) * 50), (py * width + px) * 3, (py * width + px) * 3 + 3);
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } });
}

describe('caption lint: model-based rules', function () {
  this.timeout(60_000);
  let api: ImageCaptionerApi;
  let folder: string;
  const lintConfig = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('imageCaptioner.lint');
  const nearImages = (name: string): vscode.Diagnostic[] =>
    vscode.languages.getDiagnostics(vscode.Uri.file(path.join(folder, `${name}.txt`))).filter((d) => d.source === 'Image Captioner' && d.code === 'near-duplicate-image');

  before(async () => {
    api = await activateExtension();
    folder = path.join(api.dataset.rootPath!, 'lint-models');
    fs.mkdirSync(folder);
    // "copy" is "original" re-encoded as a lossy JPEG: near-identical; "other" has its dark square elsewhere
    await picture(10, 10).png().toFile(path.join(folder, 'original.png'));
    await picture(10, 10).jpeg({ quality: 40 }).toFile(path.join(folder, 'copy.jpg'));
    await picture(60, 30).png().toFile(path.join(folder, 'other.png'));
    fs.writeFileSync(path.join(folder, 'original.txt'), 'An orange sky over the sea.');
    fs.writeFileSync(path.join(folder, 'copy.txt'), 'Sunset on a beach.');
    fs.writeFileSync(path.join(folder, 'other.txt'), 'Something else entirely.');
    await api.dataset.refresh();
    await waitFor(() => api.dataset.index?.images().filter((i) => i.folder.relPath === 'lint-models').length === 3, "the suite's images in the index");
  });

  after(async () => {
    await vscode.commands.executeCommand('imageCaptioner.lint.clear');
    await lintConfig().update('nearDuplicateImages.level', undefined, vscode.ConfigurationTarget.Global);
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
    await api?.dataset.refresh();
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('two near-identical images get the problem on both caption files, naming each other', async () => {
    assert.equal(await vscode.commands.executeCommand('imageCaptioner.lint.run', vscode.Uri.file(folder)), 3);
    const [original] = nearImages('original');
    const [copy] = nearImages('copy');
    assert.ok(original, api.linter.notes.join('\n'));
    assert.equal(original?.message, 'Image nearly the same as the images of lint-models/copy.txt.');
    assert.equal(copy?.message, 'Image nearly the same as the images of lint-models/original.txt.');
    assert.equal(original.severity, vscode.DiagnosticSeverity.Information);
    assert.deepEqual(nearImages('other'), []);
    // no CLIP or sentence model is on this machine: those rules say so instead of downloading one
    const notes = api.linter.notes.join('\n');
    assert.match(notes, /^Token counts are estimated: the tokenizer of Xenova\/clip-vit-base-patch32 is not on this machine/m);
    assert.match(notes, /^Near-duplicate images: 1 group\(s\) of images within 4 bits\.$/m);
    assert.match(notes, /^Near-duplicate captions: skipped, Xenova\/all-MiniLM-L6-v2 is not on this machine/m);
    assert.match(notes, /^Low CLIP score: skipped, Xenova\/clip-vit-base-patch32 is not on this machine/m);
  });

  it('turning the rule off removes its diagnostics; turning it on brings them back', async () => {
    await vscode.commands.executeCommand('imageCaptioner.lint.run', vscode.Uri.file(folder));
    assert.equal(nearImages('original').length, 1);
    await lintConfig().update('nearDuplicateImages.level', 'off', vscode.ConfigurationTarget.Global);
    await waitFor(() => nearImages('original').length === 0 && nearImages('copy').length === 0, 'the near-duplicate image problems gone');
    await lintConfig().update('nearDuplicateImages.level', 'warning', vscode.ConfigurationTarget.Global);
    const [back] = await waitFor(() => (nearImages('copy').length === 1 ? nearImages('copy') : undefined), 'the problem back at its new severity');
    assert.equal(back.severity, vscode.DiagnosticSeverity.Warning);
  });
});
