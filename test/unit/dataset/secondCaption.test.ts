// The second caption file of each image (imageCaptioner.secondCaption.extension): its path, its validation, and the clash it can cause.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { DatasetIndex } from '../../../src/core/dataset/datasetIndex';
import { collisionText } from '../../../src/core/dataset/collisionText';
import { extensionSet, DEFAULT_IMAGE_EXTENSIONS } from '../../../src/core/dataset/imageFiles';
import { claimedSidecarNames, secondCaptionSuffixProblem } from '../../../src/core/dataset/sidecars';
import { TempDirs, indexOptions, writeTree } from '../helpers/tempTree';

describe('second caption files', () => {
  const temp = new TempDirs();
  afterEach(() => temp.cleanup());
  const images = extensionSet(DEFAULT_IMAGE_EXTENSIONS);
  const flags = (index: DatasetIndex): Array<[string, boolean]> => index.images().map((img) => [img.name, img.collision]);

  it('puts the second caption beside the image under the stem, and none when the setting is off', async () => {
    const root = await temp.make();
    await writeTree(root, { 'sub/a.b.jpg': 'x' });
    const on = await DatasetIndex.build(root, indexOptions({ secondCaptionExtension: '.tags.txt' }));
    const image = on.images()[0];
    assert.equal(on.captionPath(image), path.join(on.rootPath, 'sub', 'a.b.txt'));
    assert.equal(on.secondCaptionPath(image), path.join(on.rootPath, 'sub', 'a.b.tags.txt'));
    const off = await DatasetIndex.build(root, indexOptions());
    assert.equal(off.secondCaptionPath(off.images()[0]), undefined);
    const empty = await DatasetIndex.build(root, indexOptions({ secondCaptionExtension: '' }));
    assert.equal(empty.secondCaptionPath(empty.images()[0]), undefined);
  });

  it("flags an image whose second caption is another image's caption, and that image too", async () => {
    const root = await temp.make();
    await writeTree(root, { 'a.png': 'x', 'a.tags.png': 'x', 'b.png': 'x', 'c.jpg': 'x', 'c.png': 'x' });
    const index = await DatasetIndex.build(root, indexOptions({ secondCaptionExtension: '.tags.txt' }));
    assert.deepEqual(flags(index), [['a.png', true], ['a.tags.png', true], ['b.png', false], ['c.jpg', true], ['c.png', true]]);
    const a = index.images()[0];
    assert.deepEqual(index.collisionOf(a), { file: 'a.tags.txt', otherImage: 'a.tags.png' });
    assert.deepEqual(index.collisionOf(index.images()[1]), { file: 'a.tags.txt', otherImage: 'a.png' });
    assert.equal(collisionText(index, a), 'a.png shares a.tags.txt with another image (a.tags.png).');
    assert.equal(index.collisionOf(index.images()[2]), undefined);
    assert.equal(index.counts().collisions, 4);
    // Without second captions the same folder has only the stem collision.
    const off = await DatasetIndex.build(root, indexOptions());
    assert.deepEqual(flags(off), [['a.png', false], ['a.tags.png', false], ['b.png', false], ['c.jpg', true], ['c.png', true]]);
  });

  it('flags the clash the other way round (the caption extension is the longer one)', async () => {
    const root = await temp.make();
    await writeTree(root, { 'x.png': 'x', 'x.en.png': 'x' });
    const index = await DatasetIndex.build(root, indexOptions({ captionExtension: '.en.txt', secondCaptionExtension: '.txt' }));
    // x.png's caption x.en.txt is x.en.png's second caption.
    assert.deepEqual(flags(index), [['x.en.png', true], ['x.png', true]]);
  });

  it('folds case for the clash only with caseInsensitiveStems', async () => {
    const root = await temp.make();
    await writeTree(root, { 'a.png': 'x', 'A.TAGS.jpg': 'x' });
    const folded = await DatasetIndex.build(root, indexOptions({ secondCaptionExtension: '.tags.txt', caseInsensitiveStems: true }));
    assert.deepEqual(flags(folded), [['a.png', true], ['A.TAGS.jpg', true]]);
    const exact = await DatasetIndex.build(root, indexOptions({ secondCaptionExtension: '.tags.txt', caseInsensitiveStems: false }));
    assert.deepEqual(flags(exact), [['a.png', false], ['A.TAGS.jpg', false]]);
  });

  it('refuses a second caption extension that is the caption one, an image one, a regions file or a path', async () => {
    assert.equal(secondCaptionSuffixProblem('.tags.txt', '.txt', images), undefined);
    assert.match(secondCaptionSuffixProblem('.TXT', '.txt', images)!, /caption extension/);
    assert.match(secondCaptionSuffixProblem('.tags.png', '.txt', images)!, /image extension/);
    assert.match(secondCaptionSuffixProblem('.x.regions.json', '.txt', images)!, /regions/);
    for (const bad of ['../x.txt', '/etc/passwd', '.a/b', 'tags', '.tags..txt']) assert.ok(secondCaptionSuffixProblem(bad, '.txt', images), bad);
    const root = await temp.make();
    await writeTree(root, { 'a.png': 'x' });
    await assert.rejects(DatasetIndex.build(root, indexOptions({ secondCaptionExtension: '.txt' })), /second caption extension "\.txt" cannot be used: it is the caption extension/);
  });

  it('claims the caption and the second caption names of an image', () => {
    assert.deepEqual(claimedSidecarNames('a.b.jpg', '.txt', '.tags.txt'), ['a.b.txt', 'a.b.tags.txt']);
    assert.deepEqual(claimedSidecarNames('a.b.jpg', '.txt', ''), ['a.b.txt']);
  });
});
