import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { DatasetIndex } from '../../../src/core/dataset/datasetIndex';
import { DEFAULT_IMAGE_EXTENSIONS, extensionSet } from '../../../src/core/dataset/imageFiles';
import { DatasetBoundary } from '../../../src/core/files/datasetBoundary';
import { parseCaptionSource } from '../../../src/core/import/parseCaptionSource';
import { importedReferences, readSidecarReferences, referenceLines, ReferenceImage, referenceSuffixProblem } from '../../../src/core/evaluation/references';
import { indexOptions, TempDirs, writeTree } from '../helpers/tempTree';

function imagesOf(root: string, rels: string[]): ReferenceImage[] {
  return rels.map((rel) => {
    const imagePath = path.join(root, ...rel.split('/'));
    return { imagePath, relPath: rel, captionPath: imagePath.replace(/\.[^.]+$/, '.txt') };
  });
}

describe('evaluation references', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  it('reads one reference per non-empty line of photo.ref.txt, and counts images without references', async () => {
    const root = await temp.make();
    await writeTree(root, {
      'a.jpg': 'x', 'a.txt': 'the caption, never a reference', 'a.ref.txt': 'a dog runs\r\n\n  a brown dog  \n',
      'sub/b.png': 'x', 'sub/b.ref.txt': 'a man rides a bike',
      'c.jpg': 'x',
      'd.jpg': 'x', 'd.ref.txt': ' \n\n',
    });
    const set = await readSidecarReferences(imagesOf(root, ['a.jpg', 'sub/b.png', 'c.jpg', 'd.jpg']), '.ref.txt', await DatasetBoundary.at(root));
    assert.deepEqual([...set.references], [['a.jpg', ['a dog runs', 'a brown dog']], ['sub/b.png', ['a man rides a bike']]]);
    assert.deepEqual(set.counts, { imagesWithReferences: 2, imagesWithoutReferences: 2, referencesWithoutImage: 0, emptyReferences: 1, unreadable: [] });
  });

  it('lists a non-UTF-8 file, a FIFO, a folder and a link out of the dataset as unreadable instead of failing', async () => {
    const root = await temp.make();
    const outside = await temp.make();
    await writeTree(root, { 'a.jpg': 'x', 'a.ref.txt': Buffer.from([0x61, 0xe9, 0x0a]), 'b.jpg': 'x', 'c.jpg': 'x', 'c.ref.txt/': '', 'd.jpg': 'x', 'e.jpg': 'x', 'e.ref.txt': 'fine' });
    execFileSync('mkfifo', [path.join(root, 'b.ref.txt')]);
    await writeTree(outside, { 'secret.txt': 'a secret' });
    execFileSync('ln', ['-s', path.join(outside, 'secret.txt'), path.join(root, 'd.ref.txt')]);
    const set = await readSidecarReferences(imagesOf(root, ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg', 'e.jpg']), '.ref.txt', await DatasetBoundary.at(root));
    assert.deepEqual([...set.references.keys()], ['e.jpg']);
    assert.deepEqual(set.counts.unreadable.map((u) => u.path), ['a.ref.txt', 'b.ref.txt', 'c.ref.txt', 'd.ref.txt']);
    assert.match(set.counts.unreadable[0].reason, /not UTF-8/);
    assert.match(set.counts.unreadable[1].reason, /named pipe/);
    assert.match(set.counts.unreadable[2].reason, /folder/);
    assert.match(set.counts.unreadable[3].reason, /outside the dataset/);
    assert.equal(set.counts.imagesWithoutReferences, 4);
  });

  it('never takes another image\'s caption file for a reference (a.ref.jpg captions a.ref.txt)', async () => {
    const root = await temp.make();
    await writeTree(root, { 'a.jpg': 'x', 'a.ref.jpg': 'x', 'a.ref.txt': 'the caption of a.ref.jpg' });
    const set = await readSidecarReferences(imagesOf(root, ['a.jpg', 'a.ref.jpg']), '.ref.txt', await DatasetBoundary.at(root));
    assert.equal(set.references.size, 0);
    assert.deepEqual(set.counts.unreadable.map((u) => u.path), ['a.ref.txt']);
    assert.match(set.counts.unreadable[0].reason, /caption file of another image/);
  });

  it('a photo.ref.txt is neither an image nor a caption in the dataset index', async () => {
    const root = await temp.make();
    await writeTree(root, { 'photo.jpg': 'x', 'photo.txt': 'caption', 'photo.ref.txt': 'reference', 'other.jpg': 'x', 'other.ref.txt': 'reference' });
    const index = await DatasetIndex.build(root, indexOptions());
    const images = index.images();
    assert.deepEqual(images.map((i) => i.name), ['other.jpg', 'photo.jpg']);
    assert.deepEqual(images.map((i) => path.basename(index.captionPath(i))), ['other.txt', 'photo.txt']);
    assert.deepEqual(images.map((i) => i.captionState), ['none', 'unknown'], 'other.ref.txt does not give other.jpg a caption');
  });

  it('refuses a reference extension that is the caption extension, an image extension or not a plain suffix', () => {
    const images = extensionSet(DEFAULT_IMAGE_EXTENSIONS);
    assert.equal(referenceSuffixProblem('.ref.txt', '.txt', images), undefined);
    assert.match(referenceSuffixProblem('.txt', '.txt', images)!, /caption extension/);
    assert.match(referenceSuffixProblem('.TXT', '.txt', images)!, /caption extension/);
    assert.match(referenceSuffixProblem('.ref.png', '.txt', images)!, /image extension/);
    assert.match(referenceSuffixProblem('../x.txt', '.txt', images)!, /plain suffix/);
  });

  it('splits lines on any line break and drops blank ones', () => {
    assert.deepEqual(referenceLines('a\r\nb\rc\n\n d \n'), ['a', 'b', 'c', 'd']);
  });

  it('takes every caption of an image in an imported Flickr set as its references, counting records without an image', () => {
    const root = '/data';
    const images = imagesOf(root, ['1000.jpg', 'sub/2000.jpg', '3000.jpg']);
    const token = '1000.jpg#0\tA dog runs .\n1000.jpg#1\tA brown dog .\n2000.jpg#0\tA man .\n9999.jpg#0\tNo such image .\n';
    const { records } = parseCaptionSource(Buffer.from(token), 'Flickr8k.token.txt');
    const set = importedReferences(records, images);
    assert.deepEqual([...set.references], [['1000.jpg', ['A dog runs .', 'A brown dog .']], ['sub/2000.jpg', ['A man .']]]);
    assert.deepEqual(set.counts, { imagesWithReferences: 2, imagesWithoutReferences: 1, referencesWithoutImage: 1, emptyReferences: 0, unreadable: [] });
  });

  it('reads references from COCO captions JSON and JSONL through the importers', () => {
    const images = imagesOf('/data', ['a.jpg', 'b.jpg']);
    const coco = JSON.stringify({ images: [{ id: 1, file_name: 'a.jpg' }, { id: 2, file_name: 'b.jpg' }], annotations: [{ image_id: 1, caption: 'one' }, { image_id: 1, caption: 'two' }, { image_id: 2, caption: 'three' }] });
    assert.deepEqual([...importedReferences(parseCaptionSource(Buffer.from(coco), 'captions.json').records, images).references], [['a.jpg', ['one', 'two']], ['b.jpg', ['three']]]);
    const jsonl = '{"file_name":"b.jpg","caption":"x"}\n{"file_name":"b.jpg","caption":"y"}\n{"file_name":"b.jpg","caption":"  "}\n';
    const set = importedReferences(parseCaptionSource(Buffer.from(jsonl), 'refs.jsonl').records, images);
    assert.deepEqual([...set.references], [['b.jpg', ['x', 'y']]]);
    assert.equal(set.counts.emptyReferences, 1);
  });
});
