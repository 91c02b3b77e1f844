import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { contentHash, HASHED_BYTES_PER_END, ImageFingerprint, PairCandidate, pairVanishedImages, statFingerprint } from '../../../src/core/curation/imageFingerprints';
import { DatasetBoundary } from '../../../src/core/files/datasetBoundary';
import { TempDirs } from '../helpers/tempTree';

describe('image fingerprints: recognizing images renamed outside VS Code', () => {
  const temp = new TempDirs();
  let root: string;
  let boundary: DatasetBoundary;
  beforeEach(async () => {
    root = await temp.make('ic-prints-');
    boundary = DatasetBoundary.atSync(root);
  });
  afterEach(() => temp.cleanup());

  const write = (rel: string, bytes: Buffer): string => {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, bytes);
    return file;
  };
  const bytes = (seed: number, size: number): Buffer => Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + seed * 7) & 0xff));
  /** The fingerprint a rated image had, hash included, taken before it vanished. */
  const printOf = async (file: string): Promise<ImageFingerprint> => ({ ...(await statFingerprint(file))!, hash: await contentHash(file, boundary) });
  const candidate = async (rel: string): Promise<PairCandidate> => {
    const absPath = path.join(root, rel);
    return { relPath: rel, absPath, fingerprint: (await statFingerprint(absPath))! };
  };

  it('pairs a renamed image by its identity without reading any candidate', async () => {
    const print = await printOf(write('a.png', bytes(1, 1000)));
    write('other.png', bytes(1, 1000)); // same size and bytes, but another file
    fs.renameSync(path.join(root, 'a.png'), path.join(root, 'sub-b.png'));
    let hashed = 0;
    const result = await pairVanishedImages(new Map([['a.png', print]]), [await candidate('other.png'), await candidate('sub-b.png')], async () => {
      hashed++;
      return undefined;
    });
    assert.deepEqual(result, { moves: [{ from: 'a.png', to: 'sub-b.png' }], unmatched: [] });
    assert.equal(hashed, 0);
  });

  it('pairs a copied-then-deleted image by its content, hashing only candidates of its size', async () => {
    const original = write('a.png', bytes(2, 300_000));
    const print = await printOf(original);
    fs.copyFileSync(original, path.join(root, 'moved.png'));
    fs.unlinkSync(original);
    write('small.png', bytes(2, 10));
    write('same-size.png', bytes(3, 300_000));
    const hashedPaths: string[] = [];
    const result = await pairVanishedImages(new Map([['a.png', print]]), [await candidate('small.png'), await candidate('same-size.png'), await candidate('moved.png')], (c) => {
      hashedPaths.push(c.relPath);
      return contentHash(c.absPath, boundary);
    });
    assert.deepEqual(result.moves, [{ from: 'a.png', to: 'moved.png' }]);
    assert.deepEqual(hashedPaths.sort(), ['moved.png', 'same-size.png']);
  });

  it('leaves an image unmatched when no candidate has its bytes, or several do and none has its name', async () => {
    const a = write('a.png', bytes(4, 5000));
    const print = await printOf(a);
    fs.unlinkSync(a);
    write('x.png', bytes(5, 5000));
    const hash = (c: PairCandidate): Promise<string | undefined> => contentHash(c.absPath, boundary);
    assert.deepEqual(await pairVanishedImages(new Map([['a.png', print]]), [await candidate('x.png')], hash), { moves: [], unmatched: ['a.png'] });
    write('y.png', bytes(4, 5000));
    write('z.png', bytes(4, 5000));
    assert.deepEqual((await pairVanishedImages(new Map([['a.png', print]]), [await candidate('y.png'), await candidate('z.png')], hash)).unmatched, ['a.png']);
    write('sub/a.png', bytes(4, 5000));
    assert.deepEqual((await pairVanishedImages(new Map([['a.png', print]]), [await candidate('y.png'), await candidate('sub/a.png'), await candidate('z.png')], hash)).moves, [{ from: 'a.png', to: 'sub/a.png' }]);
  });

  it('hashes the ends of a large file only: bytes in the middle do not change it, bytes at either end do', async () => {
    const size = HASHED_BYTES_PER_END * 4;
    const base = bytes(6, size);
    const middle = Buffer.from(base);
    middle[size / 2] ^= 0xff;
    const end = Buffer.from(base);
    end[size - 1] ^= 0xff;
    const h = async (name: string, content: Buffer): Promise<string | undefined> => contentHash(write(name, content), boundary);
    const plain = await h('base.png', base);
    assert.equal(await h('middle.png', middle), plain);
    assert.notEqual(await h('end.png', end), plain);
    assert.equal(await contentHash(path.join(root, 'gone.png'), boundary), undefined);
  });
});
