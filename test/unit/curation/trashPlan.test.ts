import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { planRestore, planTrash, TRASH_FOLDER } from '../../../src/core/curation/trashPlan';
import { movePairs, reversePlan } from '../../../src/core/embeddings/pairMoves';
import { DatasetBoundary } from '../../../src/core/files/datasetBoundary';
import { scanFolder } from '../../../src/core/dataset/folderScan';
import { sidecarSuffixes } from '../../../src/core/dataset/sidecars';
import { extensionSet, DEFAULT_IMAGE_EXTENSIONS } from '../../../src/core/dataset/imageFiles';
import { TempDirs } from '../helpers/tempTree';

const SUFFIXES = ['.txt', '.regions.json'];

describe('trash: planning and moving', () => {
  const temp = new TempDirs();
  let root: string;
  let boundary: DatasetBoundary;
  beforeEach(async () => {
    root = await temp.make('ic-trash-');
    boundary = DatasetBoundary.atSync(root);
  });
  afterEach(() => temp.cleanup());

  const write = (rel: string, content: string): string => {
    const file = path.join(root, ...rel.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    return file;
  };
  const rel = (file: string): string => path.relative(root, file).split(path.sep).join('/');
  /** Every file under root as rel -> content (links as "-> target"). */
  const tree = (dir = root): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) Object.assign(out, tree(full));
      else out[rel(full)] = entry.isSymbolicLink() ? `-> ${fs.readlinkSync(full)}` : fs.readFileSync(full, 'utf8');
    }
    return out;
  };

  it('moves the image with its caption and regions into _trash under the same subfolders, and back', async () => {
    const image = write('cats/sub/a.b.png', 'IMG');
    write('cats/sub/a.b.txt', 'caption');
    write('cats/sub/a.b.regions.json', '{}');
    write('cats/sub/a.txt', 'other image caption');
    const before = tree();
    const plan = await planTrash([{ imagePath: image, sidecarSuffixes: SUFFIXES }], root);
    assert.deepEqual(plan.moves[0].files.map((f) => [rel(f.from), rel(f.to), f.optional]), [
      ['cats/sub/a.b.png', '_trash/cats/sub/a.b.png', false],
      ['cats/sub/a.b.txt', '_trash/cats/sub/a.b.txt', true],
      ['cats/sub/a.b.regions.json', '_trash/cats/sub/a.b.regions.json', true],
    ]);
    const outcome = await movePairs(plan.moves, boundary);
    assert.deepEqual(tree(), { 'cats/sub/a.txt': 'other image caption', '_trash/cats/sub/a.b.png': 'IMG', '_trash/cats/sub/a.b.txt': 'caption', '_trash/cats/sub/a.b.regions.json': '{}' });
    const undo = await movePairs(reversePlan(outcome.moved), boundary);
    assert.equal(undo.moved.length, 1);
    assert.deepEqual(tree(), before);
  });

  it('gives every file of an image one new stem when its name is taken in the trash, and never overwrites', async () => {
    write('_trash/a.png', 'OLD');
    write('_trash/a (2).txt', 'OLD CAPTION');
    const image = write('a.png', 'NEW');
    write('a.txt', 'new caption');
    const second = write('x/a.png', 'X');
    const plan = await planTrash([{ imagePath: image, sidecarSuffixes: SUFFIXES }, { imagePath: second, sidecarSuffixes: SUFFIXES }], root);
    assert.deepEqual(plan.moves.map((m) => m.files.map((f) => rel(f.to))), [
      ['_trash/a (3).png', '_trash/a (3).txt', '_trash/a (3).regions.json'],
      ['_trash/x/a.png', '_trash/x/a.txt', '_trash/x/a.regions.json'],
    ]);
    await movePairs(plan.moves, boundary);
    assert.deepEqual(tree(), { '_trash/a.png': 'OLD', '_trash/a (2).txt': 'OLD CAPTION', '_trash/a (3).png': 'NEW', '_trash/a (3).txt': 'new caption', '_trash/x/a.png': 'X' });
  });

  it('takes the second caption along when the dataset has one, under the same new stem', async () => {
    const suffixes = sidecarSuffixes('.txt', '.tags.txt');
    assert.deepEqual(suffixes, ['.txt', '.tags.txt', '.regions.json']);
    write('_trash/a.tags.txt', 'OLD TAGS');
    const image = write('a.png', 'A');
    write('a.txt', 'prose');
    write('a.tags.txt', 'tag1, tag2');
    await movePairs((await planTrash([{ imagePath: image, sidecarSuffixes: suffixes }], root)).moves, boundary);
    assert.deepEqual(tree(), { '_trash/a.tags.txt': 'OLD TAGS', '_trash/a (2).png': 'A', '_trash/a (2).txt': 'prose', '_trash/a (2).tags.txt': 'tag1, tag2' });
  });

  it('plans distinct names for two images trashed at once whose names would clash', async () => {
    write('_trash/b.png', 'OLD');
    const one = write('b.png', '1');
    const plan = await planTrash([{ imagePath: one, sidecarSuffixes: SUFFIXES }, { imagePath: one, sidecarSuffixes: SUFFIXES }], root);
    assert.equal(plan.moves.length, 1, 'the same image named twice moves once');
    const taken = new Set([path.join(root, TRASH_FOLDER, 'c.png')]);
    const c = write('c.png', 'c');
    const d = write('d/c.png', 'dc');
    const planned = await planTrash([{ imagePath: c, sidecarSuffixes: [] }, { imagePath: d, sidecarSuffixes: [] }], root, async (f) => taken.has(f));
    assert.deepEqual(planned.moves.map((m) => rel(m.files[0].to)), ['_trash/c (2).png', '_trash/d/c.png']);
  });

  it('keeps odd names whole: spaces, brackets, unicode, several dots, a leading dash', async () => {
    for (const name of ['my photo (2).jpg', 'ü 日本.png', 'v1.2.final.webp', '-dash.jpg']) write(name, name);
    const images = fs.readdirSync(root).map((n) => ({ imagePath: path.join(root, n), sidecarSuffixes: SUFFIXES }));
    write(`${TRASH_FOLDER}/my photo (2).jpg`, 'taken');
    const plan = await planTrash(images, root);
    assert.deepEqual(plan.moves.map((m) => rel(m.files[0].to)).sort(), ['_trash/-dash.jpg', '_trash/my photo (2) (2).jpg', '_trash/v1.2.final.webp', '_trash/ü 日本.png']);
    assert.deepEqual(plan.moves.find((m) => m.imagePath.endsWith('v1.2.final.webp'))!.files.map((f) => rel(f.to)), ['_trash/v1.2.final.webp', '_trash/v1.2.final.txt', '_trash/v1.2.final.regions.json']);
  });

  it('refuses images already in the trash or outside the dataset', async () => {
    const inTrash = write('_trash/t.png', 't');
    const outside = path.join(await temp.make('ic-out-'), 'o.png');
    const plan = await planTrash([{ imagePath: inTrash, sidecarSuffixes: [] }, { imagePath: outside, sidecarSuffixes: [] }], root);
    assert.deepEqual(plan.moves, []);
    assert.deepEqual(plan.refused.map((r) => r.reason), ['it is already in _trash', 'it is not inside the dataset folder']);
  });

  it('moves a symlinked image as the link itself, never its target', async () => {
    const outside = await temp.make('ic-target-');
    fs.writeFileSync(path.join(outside, 'real.png'), 'REAL');
    write('inside.png', 'INSIDE');
    fs.symlinkSync(path.join(outside, 'real.png'), path.join(root, 'out.png'));
    fs.symlinkSync('inside.png', path.join(root, 'rel.png'));
    const plan = await planTrash(['out.png', 'rel.png'].map((n) => ({ imagePath: path.join(root, n), sidecarSuffixes: SUFFIXES })), root);
    const outcome = await movePairs(plan.moves, boundary);
    assert.equal(outcome.moved.length, 2, JSON.stringify(outcome.failed));
    assert.equal(fs.readlinkSync(path.join(root, '_trash/out.png')), path.join(outside, 'real.png'));
    assert.equal(fs.readlinkSync(path.join(root, '_trash/rel.png')), 'inside.png');
    assert.equal(fs.readFileSync(path.join(outside, 'real.png'), 'utf8'), 'REAL', 'the target stays where it is');
    assert.deepEqual(fs.readdirSync(outside), ['real.png']);
  });

  it('refuses to move into a _trash that is a link leading out of the dataset', async () => {
    const outside = await temp.make('ic-evil-');
    fs.symlinkSync(outside, path.join(root, TRASH_FOLDER));
    const image = write('a.png', 'A');
    const plan = await planTrash([{ imagePath: image, sidecarSuffixes: SUFFIXES }], root);
    assert.deepEqual(plan.moves, []);
    assert.match(plan.refused[0].reason, /_trash is a link, not a folder/);
    // and the moves themselves never write through it (a plan made before the link appeared)
    const outcome = await movePairs([{ imagePath: image, files: [{ from: image, to: path.join(root, TRASH_FOLDER, 'a.png'), optional: false }] }], boundary);
    assert.equal(outcome.moved.length, 0);
    assert.match(outcome.failed[0].error, /outside the dataset/);
    assert.deepEqual(fs.readdirSync(outside), []);
    assert.equal(fs.readFileSync(image, 'utf8'), 'A');
  });

  it('undo refuses to overwrite a file created at the old place since', async () => {
    const image = write('a.png', 'A');
    const outcome = await movePairs((await planTrash([{ imagePath: image, sidecarSuffixes: SUFFIXES }], root)).moves, boundary);
    write('a.png', 'NEWER');
    const undo = await movePairs(reversePlan(outcome.moved), boundary);
    assert.equal(undo.moved.length, 0);
    assert.equal(undo.refused.length, 1);
    assert.deepEqual(tree(), { 'a.png': 'NEWER', '_trash/a.png': 'A' });
  });

  it('restores a trashed image with its sidecars to the same place under its trash name, never over a file there', async () => {
    const trashed = write('_trash/x/a (2).png', 'A2');
    write('_trash/x/a (2).txt', 'caption a2');
    const other = write('_trash/b.png', 'B');
    write('b.png', 'B is back already');
    const plan = await planRestore([trashed, other, path.join(root, 'c.png')].map((imagePath) => ({ imagePath, sidecarSuffixes: SUFFIXES })), root);
    assert.deepEqual(plan.refused.map((r) => [rel(r.imagePath), r.reason]), [['c.png', 'it is not in _trash']]);
    const outcome = await movePairs(plan.moves, boundary);
    assert.equal(outcome.refused.length, 1);
    assert.deepEqual(tree(), { 'x/a (2).png': 'A2', 'x/a (2).txt': 'caption a2', 'b.png': 'B is back already', '_trash/b.png': 'B' });
  });

  it('restores an image renamed in the trash under its original name when that name is free again, else under its trash name', async () => {
    write('_trash/x/a.png', 'first A');
    const second = write('x/a.png', 'second A');
    write('x/a.txt', 'caption of the second');
    const trashed = await movePairs((await planTrash([{ imagePath: second, sidecarSuffixes: SUFFIXES }], root)).moves, boundary);
    const original = new Map(trashed.moved.map((p) => [p.files[0].to, p.files[0].from]));
    assert.deepEqual([...original.keys()].map(rel), ['_trash/x/a (2).png']);
    const restore = async (): Promise<void> => {
      const plan = await planRestore([{ imagePath: path.join(root, '_trash/x/a (2).png'), sidecarSuffixes: SUFFIXES }], root, (p) => original.get(p));
      await movePairs(plan.moves, boundary);
    };
    write('x/a.png', 'taken meanwhile');
    await restore();
    assert.deepEqual(tree(), { '_trash/x/a.png': 'first A', 'x/a (2).png': 'second A', 'x/a (2).txt': 'caption of the second', 'x/a.png': 'taken meanwhile' });
    // Back into the trash under its renamed name, the place freed: it comes back as a.png with a.txt.
    fs.renameSync(path.join(root, 'x/a (2).png'), path.join(root, '_trash/x/a (2).png'));
    fs.renameSync(path.join(root, 'x/a (2).txt'), path.join(root, '_trash/x/a (2).txt'));
    fs.unlinkSync(path.join(root, 'x/a.png'));
    await restore();
    assert.deepEqual(tree(), { '_trash/x/a.png': 'first A', 'x/a.png': 'second A', 'x/a.txt': 'caption of the second' });
  });

  it('the dataset scan skips _trash', async () => {
    write('a.png', 'A');
    write('_trash/b.png', 'B');
    const listing = await scanFolder(root, extensionSet(DEFAULT_IMAGE_EXTENSIONS), boundary);
    assert.deepEqual(listing.subfolders, []);
    assert.deepEqual(listing.images, ['a.png']);
  });
});
