import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DatasetIndex, IndexCancelledError } from '../../src/core/dataset/datasetIndex';
import { CaptionTexts } from '../../src/core/dataset/captionTexts';
import { extensionSet, normalizeCaptionExtension } from '../../src/core/dataset/imageFiles';
import { navigationTarget } from '../../src/core/dataset/navigation';
import { TempDirs, byRel, indexOptions, listed, snapshotTree, writeTree } from './helpers/tempTree';

describe('DatasetIndex.build', () => {
  const temp = new TempDirs();
  afterEach(() => temp.cleanup());

  it('walks nested folders and counts images per folder and below', async () => {
    const root = await temp.make();
    await writeTree(root, {
      'top.jpg': 'x',
      'sub/b.jpg': 'x',
      'sub/deeper/c.png': 'x',
      'sub/deeper/deepest/d.webp': 'x',
      'empty/': '',
    });
    const index = await DatasetIndex.build(root, indexOptions());
    assert.deepEqual(listed(index), ['sub/deeper/deepest/d.webp', 'sub/deeper/c.png', 'sub/b.jpg', 'top.jpg']);
    assert.equal(index.size, 4);
    assert.equal(index.root.deepImageCount, 4);
    assert.equal(index.folder('sub')?.deepImageCount, 3);
    assert.equal(index.folder('sub/deeper')?.deepImageCount, 2);
    assert.equal(index.folder('empty')?.deepImageCount, 0);
    assert.equal(index.folder('sub/deeper')?.absPath, path.join(root, 'sub', 'deeper'));
    assert.equal(index.counts().folders, 5);
    assert.equal(index.rootPath, path.resolve(root));
  });

  it('recognizes image extensions case-insensitively and nothing else', async () => {
    const root = await temp.make();
    await writeTree(root, {
      'a.JPG': 'x', 'b.Png': 'x', 'c.txt': 'x', 'd.jpeg.bak': 'x', 'e': 'x', 'f.TiFf': 'x', 'g.avif': 'x', 'jpg': 'x',
    });
    const index = await DatasetIndex.build(root, indexOptions());
    assert.deepEqual(listed(index), ['a.JPG', 'b.Png', 'f.TiFf', 'g.avif']);
  });

  it('uses the configured image extensions (with or without dots, any case)', async () => {
    const root = await temp.make();
    await writeTree(root, { 'a.jpg': 'x', 'b.png': 'x', 'c.PNG': 'x', 'd.heic': 'x' });
    const index = await DatasetIndex.build(root, indexOptions({ imageExtensions: extensionSet(['.PNG', 'heic']) }));
    assert.deepEqual(listed(index), ['b.png', 'c.PNG', 'd.heic']);
  });

  it('skips hidden folders, hidden files and node_modules at any depth', async () => {
    const root = await temp.make();
    await writeTree(root, {
      '.hidden/x.jpg': 'x',
      '.y.jpg': 'x',
      'node_modules/z.jpg': 'x',
      'visible/v.jpg': 'x',
      'visible/node_modules/q.jpg': 'x',
      'visible/.git/objects/r.png': 'x',
    });
    const index = await DatasetIndex.build(root, indexOptions());
    assert.deepEqual(listed(index), ['visible/v.jpg']);
    assert.equal(index.folder('node_modules'), undefined);
    assert.equal(index.folder('.hidden'), undefined);
  });

  it('lists only the top folder with recursive: false', async () => {
    const root = await temp.make();
    await writeTree(root, { 'top.jpg': 'x', 'sub/b.jpg': 'x', 'sub/c/d.jpg': 'x' });
    const index = await DatasetIndex.build(root, indexOptions({ recursive: false }));
    assert.deepEqual(listed(index), ['top.jpg']);
    assert.deepEqual(index.root.subfolders, []);
    assert.equal(index.folder('sub'), undefined);
    assert.equal(index.counts().folders, 1);
  });

  it('pairs each image with <stem>.txt in its own folder', async () => {
    const root = await temp.make();
    await writeTree(root, {
      'a.jpg': 'x', 'a.txt': 'a cat',
      'b.jpg': 'x',
      'c.jpg': 'x', 'c.caption': 'x',
      'sub/d.png': 'x', 'd.txt': 'caption in the wrong folder',
      'e.jpg': 'x', 'e.txt/': '',
    });
    const index = await DatasetIndex.build(root, indexOptions());
    const states = Object.fromEntries(index.images().map((img) => [img.name, img.captionState]));
    assert.deepEqual(states, { 'd.png': 'none', 'a.jpg': 'unknown', 'b.jpg': 'none', 'c.jpg': 'none', 'e.jpg': 'none' });
    assert.equal(index.captionPath(byRel(index, 'a.jpg')), path.join(root, 'a.txt'));
    assert.equal(index.captionPath(byRel(index, 'sub/d.png')), path.join(root, 'sub', 'd.txt'));
    const c = index.counts();
    assert.deepEqual([c.images, c.withCaptionFile, c.captioned], [5, 1, 1]);
  });

  it('pairs with the configured caption extension instead of .txt', async () => {
    const root = await temp.make();
    await writeTree(root, { 'a.jpg': 'x', 'a.txt': 'x', 'c.jpg': 'x', 'c.caption': 'x' });
    const ext = normalizeCaptionExtension('caption');
    assert.equal(ext, '.caption');
    const index = await DatasetIndex.build(root, indexOptions({ captionExtension: ext }));
    assert.equal(byRel(index, 'a.jpg').captionState, 'none');
    assert.equal(byRel(index, 'c.jpg').captionState, 'unknown');
    assert.equal(index.captionPath(byRel(index, 'a.jpg')), path.join(root, 'a.caption'));
  });

  it('takes the stem before the last dot: photo.v2.jpg pairs with photo.v2.txt', async () => {
    const root = await temp.make();
    await writeTree(root, { 'photo.v2.jpg': 'x', 'photo.v2.txt': 'x', 'other.v1.png': 'x', 'other.txt': 'x' });
    const index = await DatasetIndex.build(root, indexOptions());
    assert.equal(byRel(index, 'photo.v2.jpg').captionState, 'unknown');
    assert.equal(index.captionPath(byRel(index, 'photo.v2.jpg')), path.join(root, 'photo.v2.txt'));
    assert.equal(byRel(index, 'other.v1.png').captionState, 'none', 'other.txt is not the caption of other.v1.png');
  });

  it('flags images that share a stem (a.jpg + a.png) and only those', async () => {
    const root = await temp.make();
    await writeTree(root, { 'a.jpg': 'x', 'a.png': 'x', 'b.jpg': 'x', 'x/c.jpg': 'x', 'y/c.png': 'x' });
    const index = await DatasetIndex.build(root, indexOptions());
    const flags = Object.fromEntries(index.images().map((img) => [`${img.folder.relPath}/${img.name}`, img.collision]));
    assert.deepEqual(flags, { '/a.jpg': true, '/a.png': true, '/b.jpg': false, 'x/c.jpg': false, 'y/c.png': false });
    assert.equal(index.counts().collisions, 2);
  });

  it('folds case for collisions only with caseInsensitiveStems', async () => {
    const root = await temp.make();
    await writeTree(root, { 'A.jpg': 'x', 'a.png': 'x', 'b.jpg': 'x' });
    const folded = await DatasetIndex.build(root, indexOptions({ caseInsensitiveStems: true }));
    assert.deepEqual(folded.images().map((i) => [i.name, i.collision]), [['A.jpg', true], ['a.png', true], ['b.jpg', false]]);
    const exact = await DatasetIndex.build(root, indexOptions({ caseInsensitiveStems: false }));
    assert.deepEqual(exact.images().map((i) => [i.name, i.collision]), [['A.jpg', false], ['a.png', false], ['b.jpg', false]]);
  });

  it('handles unicode, spaces, dots and emoji in file and folder names', async () => {
    const root = await temp.make();
    const names: Record<string, string> = {
      'café au lait.jpg': 'x', 'café au lait.txt': 'x',
      '日本語の写真.png': 'x',
      'my.photo  final v2.jpeg': 'x', 'my.photo  final v2.txt': 'x',
      '🐱 cat 🐶.webp': 'x', '🐱 cat 🐶.txt': 'x',
      ' leading space.jpg': 'x',
      'ünï cöde dir/ëmoji 🎉.gif': 'x',
      'dots.in.folder/x.y.z.bmp': 'x', 'dots.in.folder/x.y.z.txt': 'x',
    };
    await writeTree(root, names);
    const index = await DatasetIndex.build(root, indexOptions());
    const images = Object.keys(names).filter((n) => !n.endsWith('.txt'));
    assert.deepEqual([...listed(index)].sort(), [...images].sort());
    for (const rel of images) {
      const img = byRel(index, rel);
      assert.ok(fs.existsSync(index.imagePath(img)), `imagePath of ${rel} exists`);
      assert.equal(index.findImage(path.join(root, ...rel.split('/'))), img, `findImage(${rel})`);
      const captionRel = rel.replace(/\.[^.]+$/, '.txt');
      assert.equal(index.captionPath(img), path.join(root, ...captionRel.split('/')), `captionPath(${rel})`);
      assert.equal(img.captionState, captionRel in names ? 'unknown' : 'none', rel);
    }
    assert.equal(byRel(index, '🐱 cat 🐶.webp').captionState, 'unknown');
    assert.equal(byRel(index, 'dots.in.folder/x.y.z.bmp').captionState, 'unknown');
  });

  it('creates, changes and deletes no file while browsing', async () => {
    const root = await temp.make();
    await writeTree(root, {
      'a.jpg': 'x', 'a.txt': 'a cat', 'b.png': 'x', 'c.jpg': 'x', 'c.txt': Buffer.from([0x63, 0xe9]),
      'sub/d.jpg': 'x', 'sub/d.txt': '', 'sub/deep/e.webp': 'x',
    });
    const before = await snapshotTree(root);
    const index = await DatasetIndex.build(root, indexOptions());
    const texts = new CaptionTexts(index);
    await texts.load(index.images());
    index.counts();
    for (const img of index.images()) navigationTarget(index, index.imagePath(img), 'nextUncaptioned');
    await index.refreshFolder(path.join(root, 'sub'));
    await index.refreshFolder(root);
    assert.equal(index.size, 5);
    assert.deepEqual(await snapshotTree(root), before);
  });

  it('rejects a path that is a file or does not exist', async () => {
    const root = await temp.make();
    await writeTree(root, { 'a.jpg': 'x' });
    await assert.rejects(DatasetIndex.build(path.join(root, 'a.jpg'), indexOptions()), /Not a folder/);
    await assert.rejects(DatasetIndex.build(path.join(root, 'missing'), indexOptions()), { code: 'ENOENT' });
  });

  it('rejects with IndexCancelledError when the signal is aborted', async () => {
    const root = await temp.make();
    const files: Record<string, string> = {};
    for (let f = 0; f < 50; f++) files[`f${f}/img${f}.jpg`] = 'x';
    await writeTree(root, files);
    const already = new AbortController();
    already.abort();
    await assert.rejects(DatasetIndex.build(root, indexOptions(), already.signal), IndexCancelledError);
    const during = new AbortController();
    const building = DatasetIndex.build(root, indexOptions(), during.signal);
    during.abort();
    await assert.rejects(building, (err: unknown) => err instanceof IndexCancelledError && /cancelled/.test(err.message));
    // Not aborted: the same tree builds completely.
    const full = await DatasetIndex.build(root, indexOptions(), new AbortController().signal);
    assert.equal(full.size, 50);
  });

  it('keeps showing the previous listing while a refresh walks the tree, then the new one at once', async () => {
    const root = await temp.make();
    const files: Record<string, string> = {};
    for (let f = 0; f < 20; f++) for (let i = 0; i < 5; i++) files[`f${f}/s/img${i}.jpg`] = 'x';
    await writeTree(root, files);
    const index = await DatasetIndex.build(root, indexOptions());
    assert.equal(index.size, 100);
    await index.refreshFolder(root); // leaves the order to be recomputed by the next reader
    await writeTree(root, { 'f3/s/new.jpg': 'x' });
    const seen = new Set<string>();
    let done = false;
    const refreshed = index.refreshFolder(root).finally(() => (done = true));
    const probe = path.join(root, 'f10', 's', 'img0.jpg');
    while (!done) {
      seen.add(`size ${index.size}, f3/s holds ${index.folder('f3/s')?.images.length}, f10/s/img0.jpg ${index.findImage(probe) ? 'found' : 'missing'}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await refreshed;
    assert.deepEqual([...seen], ['size 100, f3/s holds 5, f10/s/img0.jpg found'], 'a half-walked tree was visible');
    assert.equal(index.size, 101);
  });
});
