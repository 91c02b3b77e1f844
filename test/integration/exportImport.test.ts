// WebDataset export and a Flickr-format import from the palette, in a real VS Code.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImageCaptionerApi } from '../../src/extension';
import { activateExtension, closeAllEditors } from './extensionApi';

describe('export and import', function () {
  this.timeout(60_000);
  let api: ImageCaptionerApi;
  let out: string;

  before(async () => {
    api = await activateExtension();
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'export-'));
  });

  after(async () => {
    await closeAllEditors();
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('exports the dataset as WebDataset shards whose samples hold the image bytes and captions', async () => {
    const index = api.dataset.index!;
    const root = vscode.Uri.file(index.rootPath);
    await vscode.commands.executeCommand('imageCaptioner.exportWebDataset', root, [root], out, { onlyCaptioned: true });
    const shards = fs.readdirSync(out).filter((f) => f.endsWith('.tar'));
    assert.equal(shards.length, 1);
    assert.match(shards[0], /-000000\.tar$/);
    const members = execFileSync('tar', ['-tf', path.join(out, shards[0])], { encoding: 'utf8' }).trim().split('\n');
    const keys = [...new Set(members.map((m) => m.slice(0, m.indexOf('.'))))];
    await api.dataset.loadCaptions(index.images());
    const exportable = index.images().filter((img) => !img.collision && img.captionState === 'text');
    assert.equal(keys.length, exportable.length, 'one sample per captioned image');
    for (const key of keys) {
      const own = members.filter((m) => m.startsWith(`${key}.`)).map((m) => m.slice(key.length + 1)).sort();
      assert.deepEqual(own.filter((e) => e === 'txt' || e === 'json'), ['json', 'txt'], `${key} has txt and json`);
      assert.equal(own.length, 3, `${key} has one image`);
    }
    const first = JSON.parse(execFileSync('tar', ['-xOf', path.join(out, shards[0]), `${keys[0]}.json`], { encoding: 'utf8' }));
    const source = path.join(index.rootPath, first.source);
    const imageMember = members.find((m) => m.startsWith(`${keys[0]}.`) && !m.endsWith('.txt') && !m.endsWith('.json'))!;
    const bytes = execFileSync('tar', ['-xOf', path.join(out, shards[0]), imageMember]);
    assert.deepEqual(bytes, fs.readFileSync(source), 'image bytes unchanged');
  });

  it('exports uncaptioned images too when asked, with empty text', async () => {
    const index = api.dataset.index!;
    const root = vscode.Uri.file(index.rootPath);
    const all = path.join(out, 'all');
    fs.mkdirSync(all);
    await vscode.commands.executeCommand('imageCaptioner.exportWebDataset', root, [root], all, { onlyCaptioned: false });
    const shard = path.join(all, fs.readdirSync(all).find((f) => f.endsWith('.tar'))!);
    const members = execFileSync('tar', ['-tf', shard], { encoding: 'utf8' }).trim().split('\n');
    const keys = [...new Set(members.map((m) => m.slice(0, m.indexOf('.'))))];
    // Expected from the files on disk (earlier suites rewrite captions behind the index's back).
    const readable = index.images().filter((img) => !img.collision && !/^(broken|zero-bytes)\./.test(img.name));
    const hasText = (img: (typeof readable)[number]) => fs.existsSync(index.captionPath(img)) && fs.readFileSync(index.captionPath(img), 'utf8').trim() !== '';
    const uncaptioned = readable.filter((img) => !hasText(img));
    assert.ok(uncaptioned.length > 0, 'the sample has uncaptioned images');
    const sources = keys.map((key) => JSON.parse(execFileSync('tar', ['-xOf', shard, `${key}.json`], { encoding: 'utf8' })) as { source: string; caption: string });
    const expected = readable.map((img) => index.relativePath(index.imagePath(img))!);
    const unexpected = sources.filter((s) => !expected.includes(s.source));
    const sizes = unexpected.map((s) => `${s.source}: ${fs.statSync(path.join(index.rootPath, s.source)).size} bytes on disk`);
    assert.deepEqual(sources.map((s) => s.source).sort(), expected.sort(), `every readable image, captioned or not; unexpected: ${JSON.stringify(unexpected)} ${sizes.join(', ')}\n${execFileSync('tar', ['-tvf', shard], { encoding: 'utf8' })}`);
    for (const img of uncaptioned) {
      const sample = sources.find((s) => s.source === index.relativePath(index.imagePath(img)));
      assert.ok(sample, `${img.name} exported`);
      assert.equal(sample.caption, '', `${img.name} has empty text`);
    }
  });

  it('imports a Flickr captions.txt beside the images, keeping existing captions', async () => {
    const index = api.dataset.index!;
    const uncaptioned = index.images().filter((img) => img.captionState === 'none' && !img.collision).slice(0, 2);
    assert.equal(uncaptioned.length, 2, 'the sample has uncaptioned images to import into');
    const captioned = index.images().find((img) => img.captionState === 'text' && !img.collision)!;
    const keep = fs.readFileSync(index.captionPath(captioned));
    const lines = ['image,caption'];
    for (const img of [...uncaptioned, captioned]) for (let n = 0; n < 5; n++) lines.push(`${img.name},"Caption ${n} of ${img.name}, imported"`);
    lines.push('missing.jpg,"no such image"');
    const file = path.join(out, 'captions.txt');
    fs.writeFileSync(file, lines.join('\n'));
    try {
      await vscode.commands.executeCommand('imageCaptioner.importCaptions', vscode.Uri.file(file), { which: 'first', conflict: 'skip', autoApply: true });
      for (const img of uncaptioned) assert.equal(fs.readFileSync(index.captionPath(img), 'utf8'), `Caption 0 of ${img.name}, imported`);
      assert.deepEqual(fs.readFileSync(index.captionPath(captioned)), keep, 'existing caption kept');
    } finally {
      for (const img of uncaptioned) fs.rmSync(index.captionPath(img), { force: true });
      // Created and deleted this quickly, the captions get no watcher event at all (the watcher drops
      // the pair): the dataset still counts them until it reads the folder again.
      await api.dataset.refresh();
    }
  });
});
