import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { planRestore, planTrash, TRASH_FOLDER } from '../../../src/core/curation/trashPlan';
import { formatTrashNames, parseTrashNames, readTrashNames, trashNamesPath, writeTrashNames } from '../../../src/core/curation/trashNames';
import { movePairs } from '../../../src/core/embeddings/pairMoves';
import { DatasetBoundary } from '../../../src/core/files/datasetBoundary';
import { TempDirs } from '../helpers/tempTree';

const SUFFIXES = ['.txt', '.regions.json'];

/** A stranger's dataset through trash and restore: odd names, a `_trash` that is not a folder, names at the length limit. */
describe('trash and restore on a hostile dataset', () => {
  const temp = new TempDirs();
  let root: string;
  let boundary: DatasetBoundary;
  beforeEach(async () => {
    root = await temp.make('ic-hostile-trash-');
    boundary = DatasetBoundary.atSync(root);
  });
  afterEach(() => temp.cleanup());

  const write = (rel: string, content: string): string => {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    return file;
  };
  const trashAndRestore = async (names: readonly string[]): Promise<void> => {
    for (const name of names) {
      write(name, `image ${name}`);
      write(name.replace(/\.png$/, '.txt'), `caption ${name}`);
    }
    const images = names.map((n) => ({ imagePath: path.join(root, n), sidecarSuffixes: SUFFIXES }));
    const trashed = await movePairs((await planTrash(images, root)).moves, boundary);
    assert.deepEqual(trashed.failed, []);
    assert.equal(trashed.moved.length, names.length);
    for (const name of names) {
      assert.equal(fs.readFileSync(path.join(root, TRASH_FOLDER, name), 'utf8'), `image ${name}`, name);
      assert.equal(fs.readFileSync(path.join(root, TRASH_FOLDER, name.replace(/\.png$/, '.txt')), 'utf8'), `caption ${name}`, name);
    }
    const restore = await planRestore(names.map((n) => ({ imagePath: path.join(root, TRASH_FOLDER, n), sidecarSuffixes: SUFFIXES })), root);
    const back = await movePairs(restore.moves, boundary);
    assert.deepEqual(back.failed, []);
    for (const name of names) assert.equal(fs.readFileSync(path.join(root, name), 'utf8'), `image ${name}`, name);
  };

  it('moves names with #, %, ?, quotes, a leading dash, NFC and NFD unicode there and back unchanged', async () => {
    const nfc = 'caf\u00e9.png';
    const nfd = 'cafe\u0301 2.png';
    await trashAndRestore(['#1 50% off?.png', `it's "quoted".png`, '-rf.png', nfc, nfd, 'a%20b.png']);
    assert.ok(fs.readdirSync(root).includes(nfd), 'the NFD name keeps its bytes (no normalization)');
  });

  it('gives a 255-byte name that clashes in the trash a free name that still fits the file system', async () => {
    const long = `${'é'.repeat(125)}x.png`; // 250 + 1 + 4 = 255 bytes
    assert.equal(Buffer.byteLength(long), 255);
    write(path.join(TRASH_FOLDER, long), 'taken');
    const image = write(long, 'LONG');
    write(long.replace(/\.png$/, '.txt'), 'caption'); // 255 bytes too; its `.regions.json` (264) cannot exist
    const plan = await planTrash([{ imagePath: image, sidecarSuffixes: SUFFIXES }], root);
    assert.deepEqual(plan.refused, []);
    const outcome = await movePairs(plan.moves, boundary);
    assert.deepEqual(outcome.failed, []);
    const moved = path.basename(plan.moves[0].files[0].to);
    assert.ok(Buffer.byteLength(moved) <= 255, `${Buffer.byteLength(moved)} bytes`);
    assert.ok(moved.endsWith(' (2).png'), moved);
    assert.equal(fs.readFileSync(path.join(root, TRASH_FOLDER, long), 'utf8'), 'taken', 'never overwritten');
    assert.equal(fs.readFileSync(path.join(root, TRASH_FOLDER, moved), 'utf8'), 'LONG');
    assert.equal(fs.readFileSync(path.join(root, TRASH_FOLDER, moved.replace(/\.png$/, '.txt')), 'utf8'), 'caption', 'the caption under the same new stem');
    const restore = await planRestore([{ imagePath: path.join(root, TRASH_FOLDER, moved), sidecarSuffixes: SUFFIXES }], root, () => image);
    const back = await movePairs(restore.moves, boundary);
    assert.deepEqual(back.failed, []);
    assert.equal(fs.readFileSync(image, 'utf8'), 'LONG', 'restored under its original 255-byte name');
    assert.equal(fs.readFileSync(image.replace(/\.png$/, '.txt'), 'utf8'), 'caption');
  });

  it('refuses to trash into a _trash that is a file, and leaves the file and the image as they were', async () => {
    write(TRASH_FOLDER, 'I am a file');
    const image = write('a.png', 'A');
    write('a.txt', 'caption');
    write('sub/b.png', 'B');
    const plan = await planTrash([image, path.join(root, 'sub/b.png')].map((imagePath) => ({ imagePath, sidecarSuffixes: SUFFIXES })), root);
    assert.deepEqual(plan.moves, []);
    assert.equal(plan.refused.length, 2);
    for (const { reason } of plan.refused) assert.match(reason, /_trash or a folder in it is a file, not a folder .*rename it/);
    assert.equal(fs.readFileSync(path.join(root, TRASH_FOLDER), 'utf8'), 'I am a file');
    assert.equal(fs.readFileSync(image, 'utf8'), 'A');
    assert.equal(fs.readFileSync(path.join(root, 'a.txt'), 'utf8'), 'caption');
  });

  it('refuses an image already in _trash (also through a path with ".." or a trailing separator) and trashes it nowhere', async () => {
    const inTrash = write(`${TRASH_FOLDER}/sub/t.png`, 't');
    const sneaky = path.join(root, 'x', '..', TRASH_FOLDER, 'sub', 't.png');
    const plan = await planTrash([inTrash, sneaky].map((imagePath) => ({ imagePath, sidecarSuffixes: SUFFIXES })), root);
    assert.deepEqual(plan.moves, []);
    assert.deepEqual(plan.refused.map((r) => r.reason), ['it is already in _trash', 'it is already in _trash']);
  });

  it('refuses to trash through a _trash (or a folder in it) that is a link into the dataset: nothing lands where it points', async () => {
    const photos = path.join(root, 'photos');
    fs.mkdirSync(photos);
    fs.symlinkSync(photos, path.join(root, TRASH_FOLDER), 'dir');
    const image = write('a.png', 'A');
    const plan = await planTrash([{ imagePath: image, sidecarSuffixes: SUFFIXES }], root);
    assert.deepEqual(plan.moves, []);
    assert.match(plan.refused[0].reason, /_trash is a link, not a folder/);
    fs.rmSync(path.join(root, TRASH_FOLDER));
    fs.mkdirSync(path.join(root, TRASH_FOLDER));
    fs.symlinkSync(photos, path.join(root, TRASH_FOLDER, 'sub'), 'dir');
    const inSub = write('sub/b.png', 'B');
    const top = write('c.png', 'C');
    const second = await planTrash([inSub, top].map((imagePath) => ({ imagePath, sidecarSuffixes: SUFFIXES })), root);
    assert.deepEqual(second.refused.map((r) => r.imagePath), [inSub]);
    assert.match(second.refused[0].reason, new RegExp(`${TRASH_FOLDER}[/\\\\]sub is a link`));
    assert.deepEqual(second.moves.map((m) => path.relative(root, m.files[0].to)), [path.join(TRASH_FOLDER, 'c.png')], 'a folder beside the link is trashed into');
    assert.deepEqual(fs.readdirSync(photos), []);
  });

  describe('trash-names.json (original names of renamed trashed images)', () => {
    it('keeps only names of the same folder under _trash keys: paths, "..", other keys and wrong versions are left out', () => {
      const text = JSON.stringify({
        version: 1,
        names: {
          '_trash/a (2).png': 'a.png',
          '_trash/sub/b (2).png': 'b.png',
          '_trash/c (2).png': '../c.png',
          '_trash/d (2).png': 'x/d.png',
          '_trash/e (2).png': '..',
          '_trash/f (2).png': 5,
          'photos/g.png': 'g.png',
          '_trash/../h.png': 'h.png',
          '/abs/_trash/i.png': 'i.png',
          '_trash/j (2).png': 'j\\k.png',
        },
      });
      assert.deepEqual([...parseTrashNames(text)], [['_trash/a (2).png', 'a.png'], ['_trash/sub/b (2).png', 'b.png']]);
      const reshaped = JSON.stringify({
        version: 1,
        names: {
          '_trash/k (2).png': 'k.png',
          '_trash/l (2).png': 'notes.txt',
          '_trash/m (3).png': '.bashrc',
          '_trash/n.png': 'o.png',
          '_trash/p (2).png': 'p.jpg',
          '_trash/q (x).png': 'q.png',
          '_trash/sub/r.tar (12).png': 'r.tar.png',
          '_trash/s (2).png': 'other.png',
          [`_trash/${'é'.repeat(120)} (2).png`]: `${'é'.repeat(125)}x.png`,
        },
      });
      assert.deepEqual([...parseTrashNames(reshaped)], [['_trash/k (2).png', 'k.png'], ['_trash/sub/r.tar (12).png', 'r.tar.png'], [`_trash/${'é'.repeat(120)} (2).png`, `${'é'.repeat(125)}x.png`]], 'only a numbered name with the same extension: a stale or planted entry cannot change what a restored image is');
      for (const bad of ['', 'not json', '[]', 'null', '{"version": 2, "names": {"_trash/a (2).png": "a.png"}}', '{"version": 1, "names": []}']) assert.deepEqual([...parseTrashNames(bad)], [], bad);
      const names = parseTrashNames(text);
      assert.deepEqual([...parseTrashNames(formatTrashNames(names))], [...names], 'round trip');
      assert.deepEqual([...parseTrashNames(`\uFEFF${formatTrashNames(names)}`)], [...names], 'a byte order mark');
    });

    it('writes atomically in .image-captioner, removes the file when no name is left, and reads none from a file that is not ours', async () => {
      const names = new Map([['_trash/z (2).png', 'z.png'], ['_trash/a (2).png', 'a.png']]);
      await writeTrashNames(root, boundary, names);
      assert.equal(fs.readFileSync(trashNamesPath(root), 'utf8'), '{\n  "version": 1,\n  "names": {\n    "_trash/a (2).png": "a.png",\n    "_trash/z (2).png": "z.png"\n  }\n}\n');
      assert.deepEqual([...(await readTrashNames(root, boundary))].sort(), [...names].sort());
      await writeTrashNames(root, boundary, new Map());
      assert.equal(fs.existsSync(trashNamesPath(root)), false);
      fs.mkdirSync(trashNamesPath(root));
      assert.deepEqual([...(await readTrashNames(root, boundary))], [], 'a folder by that name');
      fs.rmdirSync(trashNamesPath(root));
      const outside = await temp.make('ic-outside-names-');
      fs.writeFileSync(path.join(outside, 'names.json'), JSON.stringify({ version: 1, names: { '_trash/a (2).png': 'a.png' } }));
      fs.symlinkSync(path.join(outside, 'names.json'), trashNamesPath(root));
      assert.deepEqual([...(await readTrashNames(root, boundary))], [], 'a link out of the dataset is not read');
      await assert.rejects(writeTrashNames(root, boundary, names));
      assert.equal(fs.readFileSync(path.join(outside, 'names.json'), 'utf8'), JSON.stringify({ version: 1, names: { '_trash/a (2).png': 'a.png' } }), 'nothing written through it');
    });
  });
});
