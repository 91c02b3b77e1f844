import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DatasetIndex } from '../../src/core/dataset/datasetIndex';
import { CaptionTexts } from '../../src/core/dataset/captionTexts';
import { TempDirs, byRel, chmodDenies, indexOptions, withoutRootPrivileges, writeTree } from './helpers/tempTree';

describe('CaptionTexts', () => {
  const temp = new TempDirs();
  let root: string;
  let index: DatasetIndex;
  let texts: CaptionTexts;

  beforeEach(async () => {
    root = await temp.make();
    await writeTree(root, {
      'a.jpg': 'x', 'a.txt': 'a cat on a mat',
      'b.jpg': 'x', 'b.txt': '  \n\t',
      'c.jpg': 'x', 'c.txt': Buffer.from('caf\xe9', 'latin1'),
      'd.jpg': 'x',
      'e.jpg': 'x', 'e.txt': '\ufeffwith bom\r\nand crlf',
    });
    index = await DatasetIndex.build(root, indexOptions());
    texts = new CaptionTexts(index);
  });
  afterEach(() => temp.cleanup());

  const img = (rel: string) => byRel(index, rel);

  it('load() sets text / empty / unreadable and leaves images without a caption file alone', async () => {
    assert.deepEqual(index.images().map((i) => i.captionState), ['unknown', 'unknown', 'unknown', 'none', 'unknown']);
    assert.equal(texts.get(img('a.jpg')), undefined, 'not loaded yet');
    const progress: Array<[number, number]> = [];
    const changed = await texts.load(index.images(), undefined, (done, total) => progress.push([done, total]));
    assert.deepEqual(changed.map((i) => i.name).sort(), ['a.jpg', 'b.jpg', 'c.jpg', 'e.jpg']);
    assert.deepEqual(index.images().map((i) => i.captionState), ['text', 'empty', 'unreadable', 'none', 'text']);
    assert.equal(texts.get(img('a.jpg')), 'a cat on a mat');
    assert.equal(texts.get(img('b.jpg')), '  \n\t');
    assert.equal(texts.get(img('c.jpg')), undefined);
    assert.equal(texts.get(img('d.jpg')), '');
    assert.equal(texts.get(img('e.jpg')), 'with bom\nand crlf');
    assert.match(texts.error(img('c.jpg')) ?? '', /c\.txt.*not UTF-8/);
    assert.equal(texts.error(img('a.jpg')), undefined);
    // Progress comes per slice of the images given, not per file: growing, and ending at their count.
    assert.ok(progress.length >= 1);
    assert.ok(progress.every(([done], i) => i === 0 || done >= progress[i - 1][0]));
    assert.deepEqual(progress[progress.length - 1], [5, 5]);
    assert.deepEqual(index.counts(), { images: 5, captioned: 2, withCaptionFile: 4, collisions: 0, folders: 1 });
  });

  it('does not read a loaded caption again until it is invalidated', async () => {
    await texts.load(index.images());
    await fs.promises.writeFile(path.join(root, 'a.txt'), 'a dog');
    assert.deepEqual(await texts.load(index.images()), []);
    assert.equal(texts.get(img('a.jpg')), 'a cat on a mat');
    texts.invalidate(img('a.jpg'));
    assert.equal(img('a.jpg').captionState, 'unknown');
    assert.equal(texts.get(img('a.jpg')), undefined);
    await fs.promises.writeFile(path.join(root, 'a.txt'), '');
    assert.deepEqual((await texts.load(index.images())).map((i) => i.name), ['a.jpg']);
    assert.equal(img('a.jpg').captionState, 'empty');
    assert.equal(texts.get(img('a.jpg')), '');
  });

  it('invalidate() lets a fixed unreadable file be read again', async () => {
    await texts.load(index.images());
    assert.equal(img('c.jpg').captionState, 'unreadable');
    await fs.promises.writeFile(path.join(root, 'c.txt'), 'café');
    texts.invalidate(img('c.jpg'));
    assert.equal(texts.error(img('c.jpg')), undefined);
    await texts.load([img('c.jpg')]);
    assert.equal(img('c.jpg').captionState, 'text');
    assert.equal(texts.get(img('c.jpg')), 'café');
  });

  it('invalidate() looks again for the caption file of an image that had none: created since, it is read; still missing, none', async () => {
    await texts.load(index.images());
    texts.invalidate(img('d.jpg'));
    assert.equal(img('d.jpg').captionState, 'unknown');
    await texts.load(index.images());
    assert.equal(img('d.jpg').captionState, 'none');
    await fs.promises.writeFile(path.join(root, 'd.txt'), 'a caption written elsewhere');
    texts.invalidate(img('d.jpg'));
    assert.deepEqual((await texts.load(index.images())).map((i) => i.name), ['d.jpg']);
    assert.equal(img('d.jpg').captionState, 'text');
    assert.equal(texts.get(img('d.jpg')), 'a caption written elsewhere');
  });

  it('reconcile() looks again at the images whose caption file came or went unannounced, and only at those', async () => {
    await texts.load(index.images());
    texts.set(img('a.jpg'), 'noted as written, then deleted before any watcher event');
    await fs.promises.rm(path.join(root, 'a.txt'));
    await fs.promises.rm(path.join(root, 'b.txt'));
    await fs.promises.writeFile(path.join(root, 'd.txt'), 'created by another program');
    assert.deepEqual(texts.reconcile(index.images(), new Set(await fs.promises.readdir(root))).map((i) => i.name).sort(), ['a.jpg', 'b.jpg', 'd.jpg']);
    assert.equal(texts.get(img('e.jpg')), 'with bom\nand crlf', 'the others keep what was read');
    await texts.load(index.images());
    assert.deepEqual(['a.jpg', 'b.jpg', 'd.jpg'].map((n) => img(n).captionState), ['none', 'none', 'text']);
    assert.deepEqual(texts.reconcile(index.images(), new Set(await fs.promises.readdir(root))), []);
  });

  it('set() records edited text and its state without reading', async () => {
    texts.set(img('d.jpg'), 'typed text');
    assert.equal(img('d.jpg').captionState, 'text');
    assert.equal(texts.get(img('d.jpg')), 'typed text');
    texts.set(img('d.jpg'), ' \n ');
    assert.equal(img('d.jpg').captionState, 'empty');
    texts.set(img('a.jpg'), undefined);
    assert.equal(img('a.jpg').captionState, 'none');
    assert.equal(texts.get(img('a.jpg')), '');
    assert.equal(fs.existsSync(path.join(root, 'd.txt')), false, 'set() writes nothing');
  });

  it('a caption file deleted since indexing loads as none', async () => {
    await fs.promises.rm(path.join(root, 'a.txt'));
    await texts.load([img('a.jpg')]);
    assert.equal(img('a.jpg').captionState, 'none');
    assert.equal(texts.get(img('a.jpg')), '');
  });

  it('reads nothing when the signal is already aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    assert.deepEqual(await texts.load(index.images(), ac.signal), []);
    assert.equal(img('a.jpg').captionState, 'unknown');
  });

  it('marks a caption file it may not read as unreadable', async () => {
    const file = path.join(root, 'a.txt');
    await fs.promises.chmod(root, 0o755);
    await fs.promises.chmod(file, 0o000);
    await withoutRootPrivileges(async () => {
      assert.ok(chmodDenies(file), 'chmod 000 keeps this process out of the caption');
      await texts.load([img('a.jpg')]);
    });
    assert.equal(img('a.jpg').captionState, 'unreadable');
    assert.match(texts.error(img('a.jpg')) ?? '', /EACCES|permission/i);
  });
});

describe('CaptionTexts with a shared caption file', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  it('settles both images of a stem collision from one read', async () => {
    const root = await temp.make();
    await writeTree(root, { 'ball.png': '', 'ball.jpg': '', 'ball.txt': 'a red ball' });
    const index = await DatasetIndex.build(root, indexOptions());
    const texts = new CaptionTexts(index);
    await texts.load(index.images());
    assert.deepEqual(index.images().map((i) => [i.name, i.captionState, texts.get(i)]), [
      ['ball.jpg', 'text', 'a red ball'],
      ['ball.png', 'text', 'a red ball'],
    ]);
  });
});
