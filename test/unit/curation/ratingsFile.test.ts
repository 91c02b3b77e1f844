import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatRatings, parseRatings, ratingsFilePath, RatingsFileError, readRatings, updateRatings } from '../../../src/core/curation/ratingsFile';
import { ratingMoveChanges, ratingsClearedUnder } from '../../../src/core/curation/ratingMoves';
import { DatasetBoundary, OutsideDatasetError } from '../../../src/core/files/datasetBoundary';
import { FileTooLargeError } from '../../../src/core/files/regularFile';
import { TempDirs } from '../helpers/tempTree';

const map = (entries: Record<string, number>): Map<string, number> => new Map(Object.entries(entries));

describe('ratings file: format, parse, read-modify-write', () => {
  const temp = new TempDirs();
  let root: string;
  let boundary: DatasetBoundary;
  beforeEach(async () => {
    root = await temp.make('ic-ratings-');
    boundary = DatasetBoundary.atSync(root);
  });
  afterEach(() => temp.cleanup());

  it('formats one image per line, keys in code-unit order, 0 left out, a final newline', () => {
    const text = formatRatings(map({ 'b.png': 3, 'a/z.png': 5, 'a/B.png': 1, 'gone.png': 0, 'ü.png': 2 }));
    assert.equal(text, '{\n  "version": 1,\n  "ratings": {\n    "a/B.png": 1,\n    "a/z.png": 5,\n    "b.png": 3,\n    "ü.png": 2\n  }\n}\n');
    assert.equal(formatRatings(new Map()), '{\n  "version": 1,\n  "ratings": {}\n}\n');
    assert.deepEqual(parseRatings(text, 'f'), map({ 'a/B.png': 1, 'a/z.png': 5, 'b.png': 3, 'ü.png': 2 }));
  });

  it('escapes odd names so they read back the same', () => {
    const odd = map({ 'say "hi" [1].png': 4, 'tab\there.png': 2, 'line\nbreak.png': 1 });
    assert.deepEqual(parseRatings(formatRatings(odd), 'f'), odd);
  });

  it('refuses a file it cannot read, naming the problem and how to fix it', () => {
    const cases: Array<[string, RegExp]> = [
      ['not json', /not valid JSON/],
      ['{\n<<<<<<< HEAD\n  "a.png": 1\n=======\n  "a.png": 2\n>>>>>>> theirs\n}', /merge conflict markers/],
      ['[]', /not a JSON object/],
      ['{"version": 2, "ratings": {}}', /version 2, written by a newer version/],
      ['{"ratings": {}}', /"version" is undefined/],
      ['{"version": 1, "ratings": []}', /"ratings" is not an object/],
    ];
    for (const [text, reason] of cases) {
      assert.throws(() => parseRatings(text, '/d/ratings.json'), (err: Error) => err instanceof RatingsFileError && reason.test(err.message) && /Fix it .* or delete it/.test(err.message), text);
    }
  });

  it('reads no file as no ratings and a BOM as nothing', async () => {
    assert.deepEqual(await readRatings(root, boundary), new Map());
    fs.mkdirSync(path.dirname(ratingsFilePath(root)));
    fs.writeFileSync(ratingsFilePath(root), '\ufeff{"version": 1, "ratings": {"a.png": 4}}');
    assert.deepEqual(await readRatings(root, boundary), map({ 'a.png': 4 }));
  });

  it('writes the exact bytes, creating .image-captioner, and reports what each key held before', async () => {
    const result = await updateRatings(root, boundary, () => map({ 'cats/a.png': 5, 'b.png': 2 }));
    assert.equal(fs.readFileSync(ratingsFilePath(root), 'utf8'), '{\n  "version": 1,\n  "ratings": {\n    "b.png": 2,\n    "cats/a.png": 5\n  }\n}\n');
    assert.deepEqual(result.previous, map({ 'cats/a.png': 0, 'b.png': 0 }));
    const cleared = await updateRatings(root, boundary, () => map({ 'cats/a.png': 0 }));
    assert.deepEqual(cleared.previous, map({ 'cats/a.png': 5 }));
    assert.equal(fs.readFileSync(ratingsFilePath(root), 'utf8'), '{\n  "version": 1,\n  "ratings": {\n    "b.png": 2\n  }\n}\n');
  });

  it('merges with changes made on disk since it was read: only its own change set is applied', async () => {
    await updateRatings(root, boundary, () => map({ 'a.png': 1, 'b.png': 2 }));
    const seenByThisWindow = await readRatings(root, boundary);
    // Another window (or a git pull) changes the file meanwhile.
    fs.writeFileSync(ratingsFilePath(root), formatRatings(map({ 'a.png': 1, 'b.png': 4, 'new.png': 3 })));
    const { ratings } = await updateRatings(root, boundary, () => map({ 'a.png': 5 }));
    assert.deepEqual(seenByThisWindow, map({ 'a.png': 1, 'b.png': 2 }));
    assert.deepEqual(ratings, map({ 'a.png': 5, 'b.png': 4, 'new.png': 3 }));
    assert.deepEqual(await readRatings(root, boundary), ratings);
  });

  it('never overwrites a file it could not parse', async () => {
    fs.mkdirSync(path.dirname(ratingsFilePath(root)));
    const broken = '{"version": 1, "ratings": {"a.png": 5,}}';
    fs.writeFileSync(ratingsFilePath(root), broken);
    await assert.rejects(updateRatings(root, boundary, () => map({ 'b.png': 3 })), RatingsFileError);
    assert.equal(fs.readFileSync(ratingsFilePath(root), 'utf8'), broken);
  });

  it('does not write when nothing changes (the file keeps its bytes and time)', async () => {
    fs.mkdirSync(path.dirname(ratingsFilePath(root)));
    const handWritten = '{"version":1,"ratings":{"a.png":3}}';
    fs.writeFileSync(ratingsFilePath(root), handWritten);
    await updateRatings(root, boundary, () => map({ 'a.png': 3, 'b.png': 0 }));
    assert.equal(fs.readFileSync(ratingsFilePath(root), 'utf8'), handWritten);
  });

  it('refuses a ratings folder or file that is a link leading out of the dataset, and an oversized file', async () => {
    const outside = await temp.make('ic-outside-');
    fs.symlinkSync(outside, path.join(root, '.image-captioner'));
    await assert.rejects(updateRatings(root, boundary, () => map({ 'a.png': 3 })), OutsideDatasetError);
    assert.deepEqual(fs.readdirSync(outside), []);
    fs.unlinkSync(path.join(root, '.image-captioner'));
    fs.mkdirSync(path.join(root, '.image-captioner'));
    boundary = DatasetBoundary.atSync(root); // a boundary remembers the folders it checked
    fs.writeFileSync(path.join(outside, 'r.json'), '{"version": 1, "ratings": {}}');
    fs.symlinkSync(path.join(outside, 'r.json'), ratingsFilePath(root));
    await assert.rejects(readRatings(root, boundary), OutsideDatasetError);
    fs.unlinkSync(ratingsFilePath(root));
    fs.writeFileSync(ratingsFilePath(root), Buffer.alloc(33 * 1024 * 1024, 0x20));
    await assert.rejects(readRatings(root, boundary), FileTooLargeError);
  });

  it('rejects stars outside 0-5 and keys outside the dataset before touching the file', async () => {
    await assert.rejects(updateRatings(root, boundary, () => map({ 'a.png': 6 })), /whole number from 0 to 5/);
    await assert.rejects(updateRatings(root, boundary, () => map({ '../a.png': 2 })), /"\.\." part/);
    assert.equal(fs.existsSync(ratingsFilePath(root)), false);
  });
});

describe('rating moves', () => {
  it('carries the rating of a renamed image and of every image below a moved folder', () => {
    const ratings = map({ 'a.png': 5, 'cats/b.png': 3, 'cats/sub/c.png': 2, 'catsup.png': 1 });
    const changes = ratingMoveChanges(ratings, [{ from: 'a.png', to: 'a2.png' }, { from: 'cats', to: 'felines' }]);
    assert.deepEqual(changes, map({ 'a.png': 0, 'cats/b.png': 0, 'cats/sub/c.png': 0, 'a2.png': 5, 'felines/b.png': 3, 'felines/sub/c.png': 2 }));
  });

  it('lets a chain of moves keep every rating (a -> b while b -> c)', () => {
    const changes = ratingMoveChanges(map({ 'a.png': 1, 'b.png': 2 }), [{ from: 'b.png', to: 'c.png' }, { from: 'a.png', to: 'b.png' }]);
    assert.deepEqual(new Map([...changes].filter(([, s]) => s > 0)), map({ 'c.png': 2, 'b.png': 1 }));
    assert.equal(changes.get('a.png'), 0);
  });

  it('clears the ratings under a folder', () => {
    assert.deepEqual(ratingsClearedUnder(map({ '_trash/a.png': 1, '_trash/x/b.png': 2, '_trashy.png': 3 }), '_trash'), map({ '_trash/a.png': 0, '_trash/x/b.png': 0 }));
  });
});
