import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DatasetIndex } from '../../src/core/dataset/datasetIndex';
import { navigationTarget } from '../../src/core/dataset/navigation';
import { TempDirs, byRel, indexOptions, listed, relOf, writeTree } from './helpers/tempTree';

const ORDERED = [
  'a/deep/z.jpg', 'a/y.jpg',
  'a9/n.jpg', 'a10/m.jpg',
  'b/x.jpg',
  'img1.jpg', 'img2.jpg', 'img10.jpg',
];

describe('DatasetIndex order and navigation', () => {
  const temp = new TempDirs();
  let root: string;
  let index: DatasetIndex;

  beforeEach(async () => {
    root = await temp.make();
    // Written in an order unlike the expected one.
    await writeTree(root, {
      'img10.jpg': 'x', 'img2.jpg': 'x', 'img1.jpg': 'x', 'img2.txt': 'two',
      'b/x.jpg': 'x', 'a10/m.jpg': 'x', 'a9/n.jpg': 'x', 'a9/n.txt': 'n',
      'a/y.jpg': 'x', 'a/y.txt': 'y', 'a/deep/z.jpg': 'x',
    });
    index = await DatasetIndex.build(root, indexOptions());
  });
  afterEach(() => temp.cleanup());

  const p = (rel: string): string => path.join(root, ...rel.split('/'));

  it('orders depth first, subfolders before images, in natural name order', () => {
    assert.deepEqual(listed(index), ORDERED);
  });

  it('gives every image its position in that order', () => {
    index.images().forEach((img, i) => {
      assert.equal(img.position, i, relOf(img));
      assert.equal(index.at(i), img);
    });
    assert.equal(index.at(ORDERED.length), undefined);
  });

  it('step() moves by any amount and wraps at both ends', () => {
    const first = byRel(index, ORDERED[0]);
    const last = byRel(index, ORDERED[ORDERED.length - 1]);
    assert.equal(relOf(index.step(first, 1)!), ORDERED[1]);
    assert.equal(index.step(last, 1), first);
    assert.equal(index.step(first, -1), last);
    assert.equal(relOf(index.step(first, 3)!), ORDERED[3]);
    assert.equal(relOf(index.step(first, -3)!), ORDERED[ORDERED.length - 3]);
    assert.equal(index.step(first, ORDERED.length), first);
    assert.equal(relOf(index.step(last, 2 * ORDERED.length + 2)!), ORDERED[1]);
  });

  it('nextUncaptioned() skips captioned images and wraps around', () => {
    const uncaptioned = ['a/deep/z.jpg', 'a10/m.jpg', 'b/x.jpg', 'img1.jpg', 'img10.jpg'];
    assert.deepEqual(ORDERED.filter((rel) => byRel(index, rel).captionState === 'none'), uncaptioned);
    assert.equal(relOf(index.nextUncaptioned(byRel(index, 'a/deep/z.jpg'))!), 'a10/m.jpg');
    assert.equal(relOf(index.nextUncaptioned(byRel(index, 'img1.jpg'))!), 'img10.jpg');
    assert.equal(relOf(index.nextUncaptioned(byRel(index, 'img10.jpg'))!), 'a/deep/z.jpg');
    assert.equal(relOf(index.nextUncaptioned(undefined)!), 'a/deep/z.jpg');
    index.setCaptionState(byRel(index, 'img10.jpg'), 'empty');
    index.setCaptionState(byRel(index, 'a/deep/z.jpg'), 'text');
    assert.equal(relOf(index.nextUncaptioned(byRel(index, 'img1.jpg'))!), 'img10.jpg', 'an empty caption counts as uncaptioned');
    assert.equal(relOf(index.nextUncaptioned(byRel(index, 'img10.jpg'))!), 'a10/m.jpg');
  });

  it('nextUncaptioned() returns undefined when every image is captioned', () => {
    for (const img of index.images()) index.setCaptionState(img, 'text');
    assert.equal(index.nextUncaptioned(undefined), undefined);
    assert.equal(index.nextUncaptioned(byRel(index, 'b/x.jpg')), undefined);
  });

  it('navigationTarget() moves from a path, from nothing and from outside the dataset', () => {
    assert.equal(relOf(navigationTarget(index, p('a9/n.jpg'), 'next')!), 'a10/m.jpg');
    assert.equal(relOf(navigationTarget(index, p('a9/n.jpg'), 'previous')!), 'a/y.jpg');
    assert.equal(relOf(navigationTarget(index, p('img10.jpg'), 'next')!), 'a/deep/z.jpg');
    assert.equal(relOf(navigationTarget(index, p('a/y.jpg'), 'nextUncaptioned')!), 'a10/m.jpg');
    assert.equal(relOf(navigationTarget(index, undefined, 'next')!), ORDERED[0]);
    assert.equal(relOf(navigationTarget(index, undefined, 'previous')!), ORDERED[ORDERED.length - 1]);
    assert.equal(relOf(navigationTarget(index, '/nowhere/else.jpg', 'next')!), ORDERED[0]);
    assert.equal(relOf(navigationTarget(index, '/nowhere/else.jpg', 'nextUncaptioned')!), 'a/deep/z.jpg');
  });

  it('findImage() finds dataset images and nothing outside the root', () => {
    assert.equal(index.findImage(p('a/deep/z.jpg')), byRel(index, 'a/deep/z.jpg'));
    assert.equal(index.findImage(`${root}/a/../img2.jpg`), byRel(index, 'img2.jpg'));
    assert.equal(index.findImage(p('img2.txt')), undefined, 'a caption file is not an image');
    assert.equal(index.findImage(p('a/missing.jpg')), undefined);
    assert.equal(index.findImage(p('nofolder/x.jpg')), undefined);
    assert.equal(index.findImage(`${root}2/img1.jpg`), undefined, 'a sibling folder sharing the prefix');
    assert.equal(index.findImage(path.join(path.dirname(root), 'img1.jpg')), undefined);
    assert.equal(index.findImage('/img1.jpg'), undefined);
    assert.equal(index.relativePath(path.dirname(root)), undefined);
    assert.equal(index.relativePath(p('a/deep')), 'a/deep');
  });

  it('refreshFolder() picks up an added image and caption, then their removal', async () => {
    assert.deepEqual(index.counts(), { images: 8, captioned: 3, withCaptionFile: 3, collisions: 0, folders: 6 });
    await writeTree(root, { 'a/x5.jpg': 'x', 'a/x5.txt': 'five', 'b/x.txt': 'now captioned' });
    assert.equal(index.size, 8, 'nothing changes before the refresh');
    assert.equal(await index.refreshFolder(p('a')), index.folder('a'));
    await index.refreshFolder(p('b'));
    assert.deepEqual(listed(index), ['a/deep/z.jpg', 'a/x5.jpg', 'a/y.jpg', ...ORDERED.slice(2)]);
    assert.deepEqual(index.counts(), { images: 9, captioned: 5, withCaptionFile: 5, collisions: 0, folders: 6 });
    index.images().forEach((img, i) => assert.equal(img.position, i));
    assert.equal(index.root.deepImageCount, 9);
    assert.equal(index.folder('a')?.deepImageCount, 3);
    assert.equal(byRel(index, 'b/x.jpg').captionState, 'unknown');
    assert.equal(relOf(navigationTarget(index, p('a/deep/z.jpg'), 'next')!), 'a/x5.jpg');

    await fs.promises.rm(p('a/x5.jpg'));
    await fs.promises.rm(p('a/y.txt'));
    await index.refreshFolder(p('a'));
    assert.deepEqual(listed(index), ORDERED);
    assert.deepEqual(index.counts(), { images: 8, captioned: 3, withCaptionFile: 3, collisions: 0, folders: 6 });
    assert.equal(byRel(index, 'a/y.jpg').captionState, 'none');
    assert.equal(index.findImage(p('a/x5.jpg')), undefined);
    assert.equal(index.root.deepImageCount, 8);
    assert.equal(relOf(navigationTarget(index, p('a/deep/z.jpg'), 'next')!), 'a/y.jpg');
  });

  it('refreshFolder() walks a new subfolder and forgets a removed one', async () => {
    await writeTree(root, { 'b/new/q.jpg': 'x', 'b/new/r/s.jpg': 'x' });
    await index.refreshFolder(p('b'));
    assert.deepEqual(listed(index).slice(4, 7), ['b/new/r/s.jpg', 'b/new/q.jpg', 'b/x.jpg']);
    assert.equal(index.folder('b/new/r')?.deepImageCount, 1);
    assert.equal(index.root.deepImageCount, 10);
    await fs.promises.rm(p('a'), { recursive: true });
    await index.refreshFolder(root);
    assert.equal(index.folder('a'), undefined);
    assert.equal(index.folder('a/deep'), undefined);
    assert.equal(listed(index).some((rel) => rel.startsWith('a/')), false);
    assert.equal(index.size, 8);
    assert.equal(await index.refreshFolder(path.dirname(root)), undefined, 'a folder outside the dataset');
  });
});
