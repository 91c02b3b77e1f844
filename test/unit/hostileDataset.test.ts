import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCaption, readCaptionSync, writeCaption } from '../../src/core/captions/captionStore';
import { readCaptionSources } from '../../src/core/captions/readCaptions';
import { writeFileAtomic } from '../../src/core/captions/atomicWrite';
import { CaptionTexts } from '../../src/core/dataset/captionTexts';
import { DatasetIndex } from '../../src/core/dataset/datasetIndex';
import { sidecarPath, sidecarSuffixProblem } from '../../src/core/dataset/sidecars';
import { extensionSet, DEFAULT_IMAGE_EXTENSIONS } from '../../src/core/dataset/imageFiles';
import { DatasetBoundary, OutsideDatasetError } from '../../src/core/files/datasetBoundary';
import { relativeFolderProblem } from '../../src/core/files/relativeFolder';
import { FileTooLargeError, NotRegularFileError, readRegularFile, readRegularFileSync } from '../../src/core/files/regularFile';
import { ImageHealth } from '../../src/core/images/imageHealth';
import { readImageHeader } from '../../src/core/images/imageHeader';
import { readRegions, regionsPathFor } from '../../src/core/regions/regionsSidecar';
import { byRel, indexOptions, TempDirs, writeTree } from './helpers/tempTree';
import { within } from './helpers/timeLimit';


const posix = process.platform !== 'win32';

describe('a hostile or broken dataset', function () {
  this.timeout(10_000);
  const temp = new TempDirs();
  afterEach(() => temp.cleanup());

  /** A dataset folder and, beside it (outside), a private folder with a secret caption and photo. */
  async function datasetWithOutside(): Promise<{ root: string; secretDir: string; secret: string; secretPhoto: string }> {
    const root = await temp.make('ic-hostile-');
    const secretDir = await temp.make('ic-private-');
    const secret = path.join(secretDir, 'secret.txt');
    const secretPhoto = path.join(secretDir, 'private.jpg');
    fs.writeFileSync(secret, 'my private notes');
    fs.writeFileSync(secretPhoto, 'private photo bytes');
    return { root, secretDir, secret, secretPhoto };
  }

  describe('sidecar names and settings that become paths', () => {
    const images = extensionSet(DEFAULT_IMAGE_EXTENSIONS);

    for (const bad of ['/../../secret.txt', '.txt/../../x', '..', '.', '../x.txt', '/etc/passwd', '.a/b', '.a\\b', 'C:\\x.txt', '.txt ', '. txt', '.txt\0', '.png', '.JPG', '.regions.json', '.x.regions.json', '', '.', '..txt']) {
      it(`refuses the caption extension ${JSON.stringify(bad)}`, () => {
        assert.ok(sidecarSuffixProblem(bad, images), `${JSON.stringify(bad)} was accepted`);
      });
    }

    for (const good of ['.txt', '.caption', '.en.txt', '.tags', '.wd14_v3', '.über-text']) {
      it(`accepts the caption extension ${good}`, () => assert.equal(sidecarSuffixProblem(good, images), undefined));
    }

    it('names every sidecar in the image folder from its stem, whatever the name', () => {
      const dir = path.join(path.sep, 'data', 'set');
      assert.equal(sidecarPath(path.join(dir, 'a.b.jpg'), '.txt'), path.join(dir, 'a.b.txt'));
      assert.equal(sidecarPath(path.join(dir, '.hidden'), '.txt'), path.join(dir, '.hidden.txt'));
      assert.equal(regionsPathFor(path.join(dir, 'x.png')), path.join(dir, 'x.regions.json'));
      assert.equal(regionsPathFor(path.join(dir, 'noext')), path.join(dir, 'noext.regions.json'));
    });

    it('refuses to build an index whose caption extension would leave the dataset', async () => {
      const { root } = await datasetWithOutside();
      await writeTree(root, { 'a.jpg': 'x' });
      await assert.rejects(DatasetIndex.build(root, indexOptions({ captionExtension: '/../../secret.txt' })), /cannot be used/);
    });

    for (const bad of ['../outside', '/abs', 'a/../../b', 'C:\\x', 'a//b', ' ', '.', 'x/./y']) {
      it(`refuses the moved-pairs folder ${JSON.stringify(bad)}`, () => assert.ok(relativeFolderProblem(bad)));
    }
    it('accepts plain moved-pairs folders', () => {
      assert.equal(relativeFolderProblem('clip_failed'), undefined);
      assert.equal(relativeFolderProblem('rejects/clip low'), undefined);
    });
  });

  describe('links that lead out of the dataset', () => {
    it('never reads or writes a caption that is a link to a file outside', async () => {
      const { root, secret } = await datasetWithOutside();
      await writeTree(root, { 'photo.jpg': 'x' });
      const caption = path.join(root, 'photo.txt');
      fs.symlinkSync(secret, caption);
      const boundary = await DatasetBoundary.at(root);
      await assert.rejects(readCaption(caption, boundary), OutsideDatasetError);
      assert.throws(() => readCaptionSync(caption, boundary), OutsideDatasetError);
      await assert.rejects(writeCaption(caption, 'overwritten', boundary), OutsideDatasetError);
      await assert.rejects(writeFileAtomic(caption, Buffer.from('overwritten'), boundary), OutsideDatasetError);
      assert.equal(fs.readFileSync(secret, 'utf8'), 'my private notes');
      assert.ok(fs.lstatSync(caption).isSymbolicLink(), 'the link itself is left as it was');
    });

    it('writes a caption that is a link inside the dataset through to its target', async () => {
      const { root } = await datasetWithOutside();
      await writeTree(root, { 'photo.jpg': 'x', 'shared/real.txt': 'old words' });
      const caption = path.join(root, 'photo.txt');
      fs.symlinkSync(path.join(root, 'shared', 'real.txt'), caption);
      const boundary = await DatasetBoundary.at(root);
      assert.equal((await readCaption(caption, boundary))?.text, 'old words');
      await writeCaption(caption, 'new words', boundary);
      assert.equal(fs.readFileSync(path.join(root, 'shared', 'real.txt'), 'utf8'), 'new words');
      assert.ok(fs.lstatSync(caption).isSymbolicLink());
    });

    it('never writes into a folder that is a link leading out, even for a new file', async () => {
      const { root, secretDir } = await datasetWithOutside();
      fs.symlinkSync(secretDir, path.join(root, 'sub'));
      const boundary = await DatasetBoundary.at(root);
      await assert.rejects(writeCaption(path.join(root, 'sub', 'new.txt'), 'planted', boundary), OutsideDatasetError);
      await assert.rejects(writeCaption(path.join(root, 'sub', 'deeper', 'new.txt'), 'planted', boundary), OutsideDatasetError);
      assert.deepEqual(fs.readdirSync(secretDir).sort(), ['private.jpg', 'secret.txt']);
    });

    it('treats a name beginning with two dots as inside', async () => {
      const { root } = await datasetWithOutside();
      await writeTree(root, { '..notes/a.txt': 'inside all along' });
      const boundary = await DatasetBoundary.at(root);
      assert.equal((await readCaption(path.join(root, '..notes', 'a.txt'), boundary))?.text, 'inside all along');
    });

    it('marks an image that links outside, reads no caption through a link out, and checks no header outside', async () => {
      const { root, secret, secretPhoto } = await datasetWithOutside();
      await writeTree(root, { 'own.jpg': 'x', 'own.txt': 'mine' });
      fs.symlinkSync(secretPhoto, path.join(root, 'borrowed.jpg'));
      fs.symlinkSync(secret, path.join(root, 'own2.txt'));
      fs.writeFileSync(path.join(root, 'own2.jpg'), 'x');
      const index = await DatasetIndex.build(root, indexOptions());
      assert.equal(index.isOutside(byRel(index, 'borrowed.jpg')), true);
      assert.equal(index.isOutside(byRel(index, 'own.jpg')), false);
      const texts = new CaptionTexts(index);
      await texts.load(index.images());
      assert.equal(byRel(index, 'own2.jpg').captionState, 'unreadable');
      assert.match(texts.error(byRel(index, 'own2.jpg')) ?? '', /outside the dataset/);
      assert.equal(texts.get(byRel(index, 'own2.jpg')), undefined, 'no text was read through the link');
      assert.equal(texts.get(byRel(index, 'own.jpg')), 'mine');
      const health = new ImageHealth(index);
      await health.check(index.images());
      assert.match(health.problem(byRel(index, 'borrowed.jpg')) ?? '', /outside the dataset/);
      assert.match((await readImageHeader(path.join(root, 'borrowed.jpg'), index.boundary)).error ?? '', /outside the dataset/);
    });

    it('reads no regions sidecar through a link out', async () => {
      const { root, secret } = await datasetWithOutside();
      fs.symlinkSync(secret, path.join(root, 'a.regions.json'));
      await assert.rejects(readRegions(path.join(root, 'a.regions.json'), await DatasetBoundary.at(root)), OutsideDatasetError);
    });
  });

  (posix ? describe : describe.skip)('files that are not regular files', () => {
    function mkfifo(file: string): void {
      execFileSync('mkfifo', [file]);
    }

    it('refuses a FIFO caption at once instead of waiting for a writer (async, sync, bulk)', async () => {
      const root = await temp.make();
      const fifo = path.join(root, 'a.txt');
      mkfifo(fifo);
      const boundary = await DatasetBoundary.at(root);
      await within(2000, assert.rejects(readCaption(fifo, boundary), (e: unknown) => e instanceof NotRegularFileError && /FIFO/.test(e.message)));
      assert.throws(() => readCaptionSync(fifo, boundary), NotRegularFileError);
      const read = await within(2000, readCaptionSources([{ imagePath: path.join(root, 'a.jpg'), captionPath: fifo }], boundary));
      assert.match(read.failures[0]?.message ?? '', /named pipe/);
      await within(2000, assert.rejects(writeCaption(fifo, 'x', boundary), NotRegularFileError));
      assert.ok(fs.statSync(fifo).isFIFO(), 'the FIFO was not replaced');
    });

    it('refuses a caption that is a link to /dev/zero, and never reads endlessly', async () => {
      assert.ok(fs.statSync('/dev/zero').isCharacterDevice(), '/dev/zero is a device here');
      const root = await temp.make();
      fs.symlinkSync('/dev/zero', path.join(root, 'zero.txt'));
      await within(2000, assert.rejects(readRegularFile(path.join(root, 'zero.txt'), 1024), (e: unknown) => e instanceof NotRegularFileError && /device/.test(e.message)));
      // Inside a dataset the link leads out before it leads to a device.
      await within(2000, assert.rejects(readCaption(path.join(root, 'zero.txt'), await DatasetBoundary.at(root)), OutsideDatasetError));
    });

    it('shows FIFO and device captions as unreadable in the index, and a FIFO image is no image', async () => {
      const root = await temp.make();
      await writeTree(root, { 'a.jpg': 'x', 'b.jpg': 'x' });
      mkfifo(path.join(root, 'a.txt'));
      mkfifo(path.join(root, 'c.jpg'));
      const index = await within(3000, DatasetIndex.build(root, indexOptions()));
      assert.deepEqual(index.images().map((img) => img.name), ['a.jpg', 'b.jpg']);
      const texts = new CaptionTexts(index);
      await within(3000, texts.load(index.images()));
      assert.equal(byRel(index, 'a.jpg').captionState, 'unreadable');
      assert.match(texts.error(byRel(index, 'a.jpg')) ?? '', /named pipe/);
      assert.equal(byRel(index, 'b.jpg').captionState, 'none');
    });

    it('refuses an image swapped for a FIFO after indexing when its header is read', async () => {
      const root = await temp.make();
      await writeTree(root, { 'a.jpg': 'x' });
      const index = await DatasetIndex.build(root, indexOptions());
      fs.rmSync(path.join(root, 'a.jpg'));
      mkfifo(path.join(root, 'a.jpg'));
      const header = await within(2000, readImageHeader(path.join(root, 'a.jpg'), index.boundary));
      assert.match(header.error ?? '', /named pipe/);
    });
  });

  describe('bounded reads', () => {
    it('reads at most the limit and says so for a larger file', async () => {
      const root = await temp.make();
      const file = path.join(root, 'big.txt');
      fs.writeFileSync(file, Buffer.alloc(5000, 0x61));
      await assert.rejects(readRegularFile(file, 4999), (e: unknown) => e instanceof FileTooLargeError && /4999 bytes/.test(e.message));
      assert.throws(() => readRegularFileSync(file, 4999), FileTooLargeError);
      assert.equal((await readRegularFile(file, 5000))?.length, 5000);
      assert.equal(readRegularFileSync(file, 5000, undefined, Buffer.alloc(16))?.length, 5000);
      assert.equal(await readRegularFile(path.join(root, 'missing'), 10), undefined);
    });

    it('refuses a folder where a caption was expected', async () => {
      const root = await temp.make();
      fs.mkdirSync(path.join(root, 'a.txt'));
      await assert.rejects(readCaption(path.join(root, 'a.txt'), await DatasetBoundary.at(root)), (e: unknown) => e instanceof NotRegularFileError && /folder/.test(e.message));
    });
  });
});
