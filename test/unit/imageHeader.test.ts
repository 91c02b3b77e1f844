import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import sharp from 'sharp';
import { DatasetIndex } from '../../src/core/dataset/datasetIndex';
import { readImageHeader } from '../../src/core/images/imageHeader';
import { ImageHealth } from '../../src/core/images/imageHealth';
import { pixelLimitReason } from '../../src/core/images/imageLimits';
import { jpegClaiming, pngClaiming } from '../fixtures/images/bombImages';
import { byRel, indexOptions, TempDirs, writeTree } from './helpers/tempTree';

describe('image headers for the dataset view and the caption editor', function () {
  this.timeout(10_000);
  const temp = new TempDirs();
  afterEach(() => temp.cleanup());

  it('flags a decompression bomb unreadable, naming the size its header claims, with the same words as prepareImage', async () => {
    const root = await temp.make();
    await writeTree(root, {
      'bomb.png': pngClaiming(60_000, 60_000),
      'tall.jpg': await jpegClaiming(20_000, 40_000),
      'limit.png': pngClaiming(16_384, 16_384),
      'fine.png': await sharp({ create: { width: 8, height: 8, channels: 3, background: '#0a0' } }).png().toBuffer(),
    });
    const index = await DatasetIndex.build(root, indexOptions());
    const bomb = await readImageHeader(path.join(root, 'bomb.png'), index.boundary);
    assert.equal(bomb.error, `Not a readable image: ${pixelLimitReason(60_000, 60_000)}.`);
    assert.match(bomb.error ?? '', /claims 60000x60000 pixels \(3,600 megapixels\), more than the 268 megapixels allowed in one decode; it is refused unread, as a possible decompression bomb\.$/);
    assert.deepEqual([bomb.width, bomb.height], [60_000, 60_000], 'the size it claims, for the status line');
    assert.match((await readImageHeader(path.join(root, 'tall.jpg'), index.boundary)).error ?? '', /claims 20000x40000 pixels \(800 megapixels\)/);
    assert.deepEqual(await readImageHeader(path.join(root, 'limit.png'), index.boundary).then((h) => [h.width, h.height, h.error]), [16_384, 16_384, undefined]);

    const health = new ImageHealth(index);
    await health.check(index.images());
    assert.equal(health.problem(byRel(index, 'bomb.png')), bomb.error);
    assert.match(health.problem(byRel(index, 'tall.jpg')) ?? '', /decompression bomb/);
    assert.equal(health.problem(byRel(index, 'limit.png')), undefined);
    assert.equal(health.problem(byRel(index, 'fine.png')), undefined);
  });

  it('says what a file is when it is no image at all, instead of "unsupported file type: undefined"', async () => {
    const root = await temp.make();
    await writeTree(root, {
      'notes.jpg': 'a cat on a sofa\n',
      'page.png': '<!doctype html><html><body>404</body></html>',
      'doc.webp': '%PDF-1.4\n',
      'zeros.png': new Uint8Array(2048),
      'cut.jpg': Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]),
    });
    const index = await DatasetIndex.build(root, indexOptions());
    const errorOf = async (name: string): Promise<string> => (await readImageHeader(path.join(root, name), index.boundary)).error ?? '(no error)';
    assert.equal(await errorOf('notes.jpg'), 'Not an image: the file starts with text ("a cat on a sofa").');
    assert.match(await errorOf('page.png'), /^Not an image: it is an HTML page/);
    assert.equal(await errorOf('doc.webp'), 'Not an image: it is a PDF document.');
    assert.match(await errorOf('zeros.png'), /^Not an image: its first 1,024 bytes are all zero/, 'not "no pixel size in its tga header"');
    assert.match(await errorOf('cut.jpg'), /^Not a readable image: /, 'a damaged JPEG is still called an image');
    for (const name of ['notes.jpg', 'page.png', 'doc.webp', 'zeros.png', 'cut.jpg']) assert.doesNotMatch(await errorOf(name), /unsupported file type|undefined/);
    const health = new ImageHealth(index);
    await health.check(index.images());
    assert.equal(health.problem(byRel(index, 'notes.jpg')), await errorOf('notes.jpg'));
  });
});
