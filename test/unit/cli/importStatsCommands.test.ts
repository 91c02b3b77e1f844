import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXIT } from '../../../src/cli/cliCommand';
import { TempDirs } from '../helpers/tempTree';
import { writeImage } from '../export/exportTestKit';
import { cli, filesUnder } from './cliTestKit';

/** Caption files under the dataset, path → text. */
function captions(dir: string): Record<string, string> {
  return Object.fromEntries(filesUnder(dir).filter((f) => f.endsWith('.txt')).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}

describe('image-captioner import', function () {
  this.timeout(60_000);
  const temp = new TempDirs();
  let root: string;
  let ds: string;
  beforeEach(async () => {
    root = await temp.make('ic-cli-import-');
    ds = path.join(root, 'ds');
    for (const rel of ['a.jpg', 'b.png', 'sub/c.jpg', 'sub/dup.jpg', 'other/dup.jpg']) await writeImage(path.join(ds, rel), 6, 4);
    fs.writeFileSync(path.join(ds, 'a.txt'), 'old a\r\n');
    fs.writeFileSync(
      path.join(root, 'set.jsonl'),
      ['a.jpg', 'b.png', 'sub/c.jpg', 'dup.jpg', 'zzz.jpg'].map((image) => JSON.stringify({ file_name: image, text: `new ${image}` })).join('\n') + '\n',
    );
  });
  afterEach(() => temp.cleanup());

  it('--dry-run prints what would be written, what matched nothing and what was ambiguous, and writes nothing', async () => {
    const run = await cli(root, 'import', 'ds', '--from', 'set.jsonl', '--dry-run');
    assert.equal(run.code, EXIT.someFailed);
    assert.equal(run.stdout, 'would write sub/c.txt\nwould write b.txt\n');
    assert.equal(
      run.stderr,
      'import: unmatched zzz.jpg (line 5): no image with this path, file name or stem\n' +
        'import: ambiguous dup.jpg (line 4): could be other/dup.jpg, sub/dup.jpg\n' +
        'import: 5 caption(s) read (jsonl); would write 2 caption file(s), 0 already as imported, 1 kept their caption (--conflict skip), 1 row(s) unmatched, 1 ambiguous\n',
    );
    assert.deepEqual(captions(ds), { 'a.txt': 'old a\r\n' });
  });

  it('writes the matched captions, keeps existing ones with --conflict skip, replaces them with overwrite', async () => {
    const skip = await cli(root, 'import', 'ds', '--from', 'set.jsonl');
    assert.equal(skip.code, EXIT.someFailed, 'two rows matched no single image');
    assert.equal(skip.stdout, 'wrote sub/c.txt\nwrote b.txt\n');
    assert.deepEqual(captions(ds), { 'a.txt': 'old a\r\n', 'b.txt': 'new b.png', 'sub/c.txt': 'new sub/c.jpg' });
    const overwrite = await cli(root, 'import', 'ds', '--from', 'set.jsonl', '--conflict', 'overwrite');
    assert.equal(overwrite.stdout, 'wrote a.txt\n');
    assert.match(overwrite.stderr, /wrote 1 caption file\(s\), 2 already as imported, 0 kept their caption/);
    assert.equal(captions(ds)['a.txt'], 'new a.jpg\r\n', 'the file keeps its line breaks, as the extension writes it');
  });

  it('--captions all|N picks among several captions per image (Flickr8k captions.txt)', async () => {
    fs.writeFileSync(path.join(root, 'captions.txt'), 'image,caption\nb.png,first of b\nb.png,"second, of b"\nsub/c.jpg,only c\n');
    const second = await cli(root, 'import', 'ds', '--from', 'captions.txt', '--captions', '1', '--conflict', 'overwrite');
    assert.deepEqual(captions(ds)['b.txt'], 'second, of b');
    assert.match(second.stderr, /unmatched sub\/c\.jpg \(line 4\): [^\n]*1/, 'an image without a second caption is reported');
    const all = await cli(root, 'import', 'ds', '--from', 'captions.txt', '--captions', 'all', '--conflict', 'overwrite', '--format', 'flickr-csv');
    assert.equal(all.code, EXIT.ok, all.stderr);
    assert.deepEqual(captions(ds)['b.txt'], 'first of b\nsecond, of b');
  });
});

describe('image-captioner stats', function () {
  this.timeout(60_000);
  const temp = new TempDirs();
  let root: string;
  before(async () => {
    root = await temp.make('ic-cli-stats-');
    const ds = path.join(root, 'ds');
    for (const rel of ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg', 'e.jpg', 'sub/f.jpg']) await writeImage(path.join(ds, rel), 6, 4);
    fs.writeFileSync(path.join(ds, 'a.txt'), 'a dog, a cat, grass');
    fs.writeFileSync(path.join(ds, 'b.txt'), 'A dog, \u001b]0;owned\u0007 tag');
    fs.writeFileSync(path.join(ds, 'c.txt'), '  \n');
    fs.writeFileSync(path.join(ds, 'sub', 'f.txt'), 'one two three four five six seven eight nine ten');
    fs.writeFileSync(path.join(ds, 'e.txt'), Buffer.from([0x61, 0xff, 0xfe, 0x62])); // not UTF-8
  });
  after(() => temp.cleanup());

  it('--json: the extension\'s figures, unreadable captions counted and named on stderr, exit 3', async () => {
    const run = await cli(root, 'stats', 'ds', '--json');
    assert.equal(run.code, EXIT.someFailed);
    assert.match(run.stderr, /^stats: e\.txt: not counted, [^\n]+\n$/);
    const stats = JSON.parse(run.stdout) as Record<string, unknown>;
    assert.equal(stats.dataset, path.join(root, 'ds'));
    assert.deepEqual(
      { images: stats.images, captioned: stats.captioned, empty: stats.empty, missing: stats.missing, unreadable: stats.unreadable, words: stats.words },
      { images: 5, captioned: 3, empty: 1, missing: 1, unreadable: 1, words: { min: 4, median: 5, max: 10 } },
    );
    assert.deepEqual((stats.topTags as Array<{ term: string; count: number }>).slice(0, 2), [{ term: 'a dog', count: 2 }, { term: '\u001b]0;owned\u0007 tag', count: 1 }]);
  });

  it('text: the report with dataset text made printable (an escape sequence in a tag cannot drive the terminal)', async () => {
    const run = await cli(root, 'stats', 'ds');
    assert.equal(run.code, EXIT.someFailed);
    assert.match(run.stdout, /\n {2}Images {2,}5\n {2}Captioned {2,}3\n {2}Empty caption files {2,}1\n {2}No caption file {2,}1\n/);
    assert.match(run.stdout, /\nMost frequent tags\n {2}2 {2}a dog\n {2}1 {2}\\u001b\]0;owned\\u0007 tag\n/);
    assert.doesNotMatch(run.stdout, /[\u0000-\u0008\u000b-\u001f\u007f]/);
    assert.match(run.stdout, /\n1 caption file\(s\) could not be read \(listed on stderr\)\n$/);
  });
});
