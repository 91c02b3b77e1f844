import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatRatings, ignoredEntriesMessage, parseRatingsFile, ratingsFilePath, readRatings, readRatingsFile, updateRatings } from '../../../src/core/curation/ratingsFile';
import { DatasetBoundary, OutsideDatasetError } from '../../../src/core/files/datasetBoundary';
import { FileTooLargeError, NotRegularFileError } from '../../../src/core/files/regularFile';
import { TempDirs } from '../helpers/tempTree';

const map = (entries: Record<string, number>): Map<string, number> => new Map(Object.entries(entries));

/** A stranger's `.image-captioner/ratings.json`: never followed out, never overwritten when unreadable, bad entries set aside. */
describe('ratings file from a hostile dataset', () => {
  const temp = new TempDirs();
  let root: string;
  let boundary: DatasetBoundary;
  beforeEach(async () => {
    root = await temp.make('ic-hostile-ratings-');
    boundary = DatasetBoundary.atSync(root);
    fs.mkdirSync(path.dirname(ratingsFilePath(root)));
  });
  afterEach(() => temp.cleanup());

  it('sets bad entries aside with a message, uses the good ones, and writes the bad ones back as they were', async () => {
    const text = JSON.stringify({ version: 1, ratings: { 'a.png': 4, '../up.png': 5, '/abs.png': 3, 'C:/win.png': 2, 'b.png': '5', 'c.png': 2.5, 'd.png': 6, 'e.png': null, 'f.png': { x: 1 }, 'g.png': 0 } });
    fs.writeFileSync(ratingsFilePath(root), text);
    const contents = parseRatingsFile(text, 'r.json');
    assert.deepEqual(contents.ratings, map({ 'a.png': 4 }));
    assert.equal(contents.problems.length, 8);
    const message = ignoredEntriesMessage('r.json', contents.problems);
    assert.match(message, /^r\.json: 8 entries were ignored \(the key "\.\.\/up\.png" has an empty, "\." or "\.\." part; .*; and 5 more\)\. They are kept in the file/);
    assert.deepEqual(await readRatings(root, boundary), map({ 'a.png': 4 }));
    await updateRatings(root, boundary, () => map({ 'h.png': 1, 'b.png': 3 }));
    const after = await readRatingsFile(root, boundary);
    assert.deepEqual(after.ratings, map({ 'a.png': 4, 'b.png': 3, 'h.png': 1 }));
    assert.deepEqual(after.ignored, new Map<string, unknown>([['../up.png', 5], ['/abs.png', 3], ['C:/win.png', 2], ['c.png', 2.5], ['d.png', 6], ['e.png', null], ['f.png', { x: 1 }]]));
    assert.deepEqual(fs.readdirSync(path.dirname(root)).filter((n) => n === 'up.png'), [], 'nothing written outside the dataset');
  });

  it('keys with odd names (#, %, ?, quotes, leading dash, NFC and NFD, 255 bytes) are distinct keys that read back the same', async () => {
    const long = `${'é'.repeat(125)}x.png`;
    const odd = map({ '#1 50% off?.png': 1, 'it\'s "q".png': 2, '-rf.png': 3, 'caf\u00e9.png': 4, 'cafe\u0301.png': 5, [`sub dir/${long}`]: 2, 'a%20b.png': 1 });
    await updateRatings(root, boundary, () => odd);
    assert.deepEqual(await readRatings(root, boundary), odd);
    assert.equal(formatRatings(odd).split('\n').length, 3 + odd.size + 3);
  });

  it('says .image-captioner is a file (not ENOTDIR) and leaves it alone', async () => {
    fs.rmdirSync(path.dirname(ratingsFilePath(root)));
    fs.writeFileSync(path.join(root, '.image-captioner'), 'mine');
    await assert.rejects(readRatings(root, boundary), /\.image-captioner is a file, not a folder, so star ratings cannot be kept there; rename or remove it/);
    await assert.rejects(updateRatings(root, boundary, () => map({ 'a.png': 3 })), /is a file, not a folder/);
    assert.equal(fs.readFileSync(path.join(root, '.image-captioner'), 'utf8'), 'mine');
  });

  it('refuses a FIFO without blocking and without writing', async () => {
    execFileSync('mkfifo', [ratingsFilePath(root)]);
    await assert.rejects(readRatings(root, boundary), NotRegularFileError);
    await assert.rejects(updateRatings(root, boundary, () => map({ 'a.png': 3 })), NotRegularFileError);
    assert.ok(fs.lstatSync(ratingsFilePath(root)).isFIFO());
  });

  it('refuses a 200 MB file without reading it, and leaves it as it was', async () => {
    fs.writeFileSync(ratingsFilePath(root), '{"version": 1, "ratings": {}}');
    fs.truncateSync(ratingsFilePath(root), 200 * 1024 * 1024);
    await assert.rejects(updateRatings(root, boundary, () => map({ 'a.png': 3 })), FileTooLargeError);
    assert.equal(fs.statSync(ratingsFilePath(root)).size, 200 * 1024 * 1024);
  });

  it('never writes through a ratings.json that is a link out of the dataset, nor replaces it', async () => {
    const outside = await temp.make('ic-hostile-outside-');
    const target = path.join(outside, 'secret.json');
    fs.writeFileSync(target, '{"version": 1, "ratings": {}}');
    fs.symlinkSync(target, ratingsFilePath(root));
    await assert.rejects(updateRatings(root, boundary, () => map({ 'a.png': 3 })), OutsideDatasetError);
    assert.equal(fs.readFileSync(target, 'utf8'), '{"version": 1, "ratings": {}}');
    assert.equal(fs.readlinkSync(ratingsFilePath(root)), target);
  });
});
