import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DatasetIndex } from '../../../src/core/dataset/datasetIndex';
import { SidecarOwners } from '../../../src/core/dataset/sidecarOwners';
import { indexOptions, TempDirs } from '../helpers/tempTree';

describe('SidecarOwners (which images a changed caption file belongs to)', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  it('finds the images of a caption and of a second caption, both of a shared file, and none for another file', async () => {
    const root = await temp.make('ic-owners-');
    for (const name of ['a.png', 'a.jpg', 'b.png', 'b.tags.png']) fs.writeFileSync(path.join(root, name), 'x');
    const index = await DatasetIndex.build(root, indexOptions({ secondCaptionExtension: '.tags.txt' }));
    const owners = new SidecarOwners(index);
    const byName = (name: string) => index.images().find((img) => img.name === name)!;
    const folder = byName('a.png').folder;
    const names = (list: readonly { name: string }[]) => list.map((img) => img.name).sort();
    assert.deepEqual(names(owners.captionOf(folder, path.join(root, 'a.txt'))), ['a.jpg', 'a.png'], 'two images claim a.txt');
    assert.deepEqual(names(owners.secondCaptionOf(folder, path.join(root, 'a.tags.txt'))), ['a.jpg', 'a.png']);
    // b.tags.png's caption is b.png's second caption
    assert.deepEqual(names(owners.captionOf(folder, path.join(root, 'b.tags.txt'))), ['b.tags.png']);
    assert.deepEqual(names(owners.secondCaptionOf(folder, path.join(root, 'b.tags.txt'))), ['b.png']);
    assert.deepEqual(owners.captionOf(folder, path.join(root, 'c.txt')), []);
    assert.deepEqual(owners.secondCaptionOf(folder, path.join(root, 'b.txt')), []);
    const plain = new SidecarOwners(await DatasetIndex.build(root, indexOptions()));
    assert.deepEqual(plain.secondCaptionOf(folder, path.join(root, 'a.tags.txt')), [], 'no second captions set');
  });

  it('looks at each image of a folder once for a whole batch of changed files, not once per file', async () => {
    const root = await temp.make('ic-owners-many-');
    const count = 2000;
    for (let i = 0; i < count; i++) fs.writeFileSync(path.join(root, `i${i}.png`), 'x');
    const index = await DatasetIndex.build(root, indexOptions({ secondCaptionExtension: '.tags.txt' }));
    let calls = 0;
    const captionPath = index.captionPath.bind(index);
    index.captionPath = (image) => {
      calls++;
      return captionPath(image);
    };
    const owners = new SidecarOwners(index);
    const folder = index.images()[0].folder;
    let found = 0;
    for (const image of index.images()) found += owners.captionOf(folder, captionPath(image)).length;
    assert.equal(found, count);
    assert.equal(calls, count, 'one caption path per image for the whole batch');
  });
});
