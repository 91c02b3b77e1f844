import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DatasetIndex } from '../../../src/core/dataset/datasetIndex';
import { DEFAULT_CAPTION_EXTENSION, DEFAULT_IMAGE_EXTENSIONS, extensionSet } from '../../../src/core/dataset/imageFiles';
import { shardOf } from '../../../src/core/dataset/shardOf';
import { exportWebDataset } from '../../../src/core/export';
import { EXIT } from '../../../src/cli/cliCommand';
import { TempDirs } from '../helpers/tempTree';
import { python, sha256File, webdatasetSamples, PySample } from '../export/exportTestKit';
import { cli, cliWithSignal, filesUnder, writeExportFixture } from './cliTestKit';

const SHARDS = 4;

/** The zip's members: name → sha256 of the bytes, and label.json parsed. */
function zipMembers(file: string): { sha256: Record<string, string>; labels: Array<{ file_name: string; text: string }> } {
  return python(`
import hashlib, json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    print(json.dumps({"sha256": {i.filename: hashlib.sha256(z.read(i)).hexdigest() for i in z.infolist() if i.filename != "label.json"},
                      "labels": json.loads(z.read("label.json").decode("utf-8"))}))
`, file);
}

const byKey = (a: PySample, b: PySample): number => (a.__key__ < b.__key__ ? -1 : a.__key__ > b.__key__ ? 1 : 0);

describe('image-captioner export', function () {
  this.timeout(60_000);
  const temp = new TempDirs();
  let root: string;
  before(async () => {
    root = await temp.make('ic-cli-export-');
    await writeExportFixture(root);
  });
  after(() => temp.cleanup());

  it('csv: the caption table of the captioned images in dataset order, byte for byte (formula guarded, quotes doubled)', async () => {
    const run = await cli(root, 'export', 'ds', '--format', 'csv', '--out', 'csv');
    assert.equal(run.code, EXIT.ok, run.stderr);
    const rows = Array.from({ length: 12 }, (_, i) => `many/img${String(i).padStart(2, '0')}.jpg,caption ${i}\r\n`).join('');
    const expected = `file_name,text\r\n${rows}sub/e.webp,"e, dog, cat"\r\na.jpg,a red square\r\nb.png,"'=1+1 formula\n"\r\nq.jpg,"say ""hi"", twice\nnew line"\r\n`;
    assert.equal(fs.readFileSync(path.join(root, 'csv', 'captions.csv'), 'utf8'), expected);
    assert.equal(run.stdout, `${path.join(root, 'csv', 'captions.csv')}\n`);
    assert.match(run.stderr, /^export csv: 16 of 18 images in 1 file\(s\), [\d.]+ MB; 2 without a caption left out \(--all-images keeps them\)\n$/);
  });

  it('csv and jsonl: a rating field when the dataset has a ratings file, bad entries left out with a warning, and a warning (no field) when it cannot be read', async () => {
    const meta = path.join(root, 'ds', '.image-captioner');
    fs.mkdirSync(meta);
    try {
      fs.writeFileSync(path.join(meta, 'ratings.json'), '{\n  "version": 1,\n  "ratings": {\n    "a.jpg": 4,\n    "sub/e.webp": 2\n  }\n}\n');
      const run = await cli(root, 'export', 'ds', '--format', 'jsonl', '--out', 'rated');
      assert.equal(run.code, EXIT.ok, run.stderr);
      const rows = fs.readFileSync(path.join(root, 'rated', 'captions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { file_name: string; rating: number });
      assert.deepEqual(rows.filter((r) => r.rating > 0).map((r) => [r.file_name, r.rating]), [['sub/e.webp', 2], ['a.jpg', 4]]);
      assert.ok(rows.every((r) => typeof r.rating === 'number'), 'every row has a rating, 0 when unrated');
      fs.writeFileSync(path.join(meta, 'ratings.json'), '{"version": 1, "ratings": {"a.jpg": 9, "../x.jpg": 5, "sub/e.webp": 2}}');
      const bad = await cli(root, 'export', 'ds', '--format', 'jsonl', '--out', 'bad-entries');
      assert.equal(bad.code, EXIT.ok, bad.stderr);
      assert.match(bad.stderr, /ratings\.json: 2 entries were ignored \(the rating of "a\.jpg" is 9, .*; the key "\.\.\/x\.jpg" has .*\)\. They are kept in the file/);
      const badRows = fs.readFileSync(path.join(root, 'bad-entries', 'captions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { file_name: string; rating: number });
      assert.deepEqual(badRows.filter((r) => r.rating > 0).map((r) => [r.file_name, r.rating]), [['sub/e.webp', 2]], 'the good entry exported, the bad ones not');
      fs.writeFileSync(path.join(meta, 'ratings.json'), '{"version": 1, "ratings": {"a.jpg": 4,}}');
      const broken = await cli(root, 'export', 'ds', '--format', 'csv', '--out', 'broken');
      assert.equal(broken.code, EXIT.ok, broken.stderr);
      assert.match(broken.stderr, /ratings\.json cannot be read as star ratings: it is not valid JSON.* The export has no rating field\./);
      assert.ok(fs.readFileSync(path.join(root, 'broken', 'captions.csv'), 'utf8').startsWith('file_name,text\r\n'));
    } finally {
      fs.rmSync(meta, { recursive: true, force: true });
    }
  });

  it('webdataset: the unsharded export is byte for byte what the extension\'s exporter writes for the same index', async () => {
    const run = await cli(root, 'export', 'ds', '--format', 'webdataset', '--out', 'wds-cli', '--all-images');
    assert.equal(run.code, EXIT.ok, run.stderr);
    // What exportImportCommands.ts does: the index in dataset order, stem collisions left out, no keys of its own.
    const index = await DatasetIndex.build(path.join(root, 'ds'), { imageExtensions: extensionSet(DEFAULT_IMAGE_EXTENSIONS), captionExtension: DEFAULT_CAPTION_EXTENSION, recursive: true, caseInsensitiveStems: false, followLinksOutside: false });
    const samples = index.images().filter((img) => !img.collision).map((img) => ({ imagePath: index.imagePath(img), relPath: index.relativePath(index.imagePath(img))!, captionPath: index.captionPath(img), boundary: index.boundary }));
    await exportWebDataset(samples, { outDir: path.join(root, 'wds-ext'), name: 'ds', onlyCaptioned: false });
    assert.deepEqual(filesUnder(path.join(root, 'wds-cli')), ['ds-000000.tar']);
    assert.equal(sha256File(path.join(root, 'wds-cli', 'ds-000000.tar')), sha256File(path.join(root, 'wds-ext', 'ds-000000.tar')));
  });

  it('webdataset --shard I/N: N runs into one folder write distinct files whose members together are the unsharded export\'s', async () => {
    const whole = await cli(root, 'export', 'ds', '--format', 'webdataset', '--out', 'wds-whole', '--max-samples-per-shard', '5');
    assert.equal(whole.code, EXIT.ok, whole.stderr);
    const wholeFiles = filesUnder(path.join(root, 'wds-whole'));
    assert.deepEqual(wholeFiles, ['ds-000000.tar', 'ds-000001.tar', 'ds-000002.tar', 'ds-000003.tar']);
    const expected = wholeFiles.flatMap((f) => webdatasetSamples(path.join(root, 'wds-whole', f)));
    assert.equal(expected.length, 16);

    const runs = await Promise.all(Array.from({ length: SHARDS }, (_, i) => cli(root, 'export', 'ds', '--format', 'webdataset', '--out', 'wds-sharded', '--shard', `${i}/${SHARDS}`, '--max-samples-per-shard', '5')));
    for (const run of runs) assert.equal(run.code, EXIT.ok, run.stderr);
    const files = filesUnder(path.join(root, 'wds-sharded'));
    for (const file of files) assert.match(file, /^ds-shard-[0-3]-of-4-00000\d\.tar$/);
    assert.deepEqual(files, runs.flatMap((r) => r.stdout.trim().split('\n').filter((l) => l !== '')).map((f) => path.basename(f)).sort());
    const got: PySample[] = [];
    for (const file of files) {
      const index = Number(/shard-(\d)-of/.exec(file)![1]);
      for (const sample of webdatasetSamples(path.join(root, 'wds-sharded', file))) {
        assert.equal(shardOf((sample.json as { source: string }).source, SHARDS), index, `${(sample.json as { source: string }).source} in ${file}`);
        got.push(sample);
      }
    }
    // Keys, caption, json (source, size, key) and image bytes: member for member the unsharded export's.
    assert.deepEqual(got.sort(byKey), [...expected].sort(byKey));
  });

  it('csv, jsonl, zip and imagefolder --shard I/N: one file per shard, together the unsharded export', async () => {
    for (const format of ['csv', 'jsonl', 'zip', 'imagefolder'] as const) {
      const whole = await cli(root, 'export', 'ds', '--format', format, '--out', `${format}-whole`);
      assert.equal(whole.code, EXIT.ok, whole.stderr);
      for (let i = 0; i < SHARDS; i++) {
        const run = await cli(root, 'export', 'ds', '--format', format, '--out', `${format}-sharded`, '--shard', `${i}/${SHARDS}`);
        assert.equal(run.code, EXIT.ok, run.stderr);
      }
      const wholeDir = path.join(root, `${format}-whole`);
      const shardDir = path.join(root, `${format}-sharded`);
      const shardFiles = (name: string, ext: string): string[] => Array.from({ length: SHARDS }, (_, i) => `${name}-shard-${i}-of-${SHARDS}.${ext}`);
      if (format === 'csv' || format === 'jsonl') {
        assert.deepEqual(filesUnder(shardDir), shardFiles('captions', format));
        const lines = (file: string): string[] => fs.readFileSync(file, 'utf8').split(format === 'csv' ? '\r\n' : '\n').filter((l) => l !== '');
        const [header, ...wholeRows] = lines(path.join(wholeDir, `captions.${format}`));
        const shardRows = shardFiles('captions', format).flatMap((f) => {
          const [first, ...rows] = lines(path.join(shardDir, f));
          if (format === 'csv') assert.equal(first, header);
          return format === 'csv' ? rows : [first, ...rows].filter((r) => r !== undefined);
        });
        assert.deepEqual(shardRows.sort(), (format === 'csv' ? wholeRows : [header, ...wholeRows]).sort());
      } else if (format === 'zip') {
        assert.deepEqual(filesUnder(shardDir), shardFiles('webData', 'zip'));
        const wholeZip = zipMembers(path.join(wholeDir, 'webData.zip'));
        const parts = shardFiles('webData', 'zip').map((f) => zipMembers(path.join(shardDir, f)));
        assert.deepEqual(Object.assign({}, ...parts.map((p) => p.sha256)), wholeZip.sha256);
        const label = (l: { file_name: string }): string => l.file_name;
        assert.deepEqual(parts.flatMap((p) => p.labels).sort((a, b) => label(a).localeCompare(label(b))), [...wholeZip.labels].sort((a, b) => label(a).localeCompare(label(b))));
      } else {
        const images = filesUnder(wholeDir).filter((f) => f !== 'metadata.jsonl');
        assert.deepEqual(filesUnder(shardDir), [...images, ...shardFiles('metadata', 'jsonl')].sort());
        for (const image of images) assert.equal(sha256File(path.join(shardDir, image)), sha256File(path.join(wholeDir, image)), image);
        const metadata = (file: string): string[] => fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
        assert.deepEqual(shardFiles('metadata', 'jsonl').flatMap((f) => metadata(path.join(shardDir, f))).sort(), metadata(path.join(wholeDir, 'metadata.jsonl')).sort());
      }
    }
  });

  it('names shard files with the index padded to the count (they sort) and leaves no temp file', async () => {
    const run = await cli(root, 'export', 'ds', '--format', 'jsonl', '--out', 'padded', '--shard', '7/12');
    assert.equal(run.code, EXIT.ok, run.stderr);
    assert.deepEqual(filesUnder(path.join(root, 'padded')), ['captions-shard-07-of-12.jsonl']);
  });

  it('an image that cannot be exported is named on stderr and the run exits 3; the rest is written', async () => {
    const broken = await temp.make('ic-cli-broken-');
    await writeExportFixture(broken);
    fs.writeFileSync(path.join(broken, 'ds', 'zero.jpg'), Buffer.alloc(0));
    fs.writeFileSync(path.join(broken, 'ds', 'zero.txt'), 'a caption for nothing');
    const run = await cli(broken, 'export', 'ds', '--format', 'webdataset', '--out', 'out');
    assert.equal(run.code, EXIT.someFailed);
    assert.match(run.stderr, /^export webdataset: skipped zero\.jpg: image unreadable \(The image file is empty \(0 bytes\)\.\)\n/);
    assert.match(run.stderr, /: 16 of 19 images in 1 file\(s\), [\d.]+ MB; 2 without a caption left out \(--all-images keeps them\); 1 skipped\n$/);
    assert.equal(webdatasetSamples(path.join(broken, 'out', 'ds-000000.tar')).length, 16);
  });

  it('SIGINT/SIGTERM before or while indexing: exit 4 (resumable), one line, nothing written', async () => {
    const abort = new AbortController();
    abort.abort();
    const run = await cliWithSignal(abort.signal, root, 'export', 'ds', '--format', 'webdataset', '--out', 'interrupted');
    assert.equal(run.code, EXIT.interrupted);
    assert.equal(run.stderr, 'image-captioner export: interrupted; run the same command again to finish\n');
    assert.equal(fs.existsSync(path.join(root, 'interrupted')), false);
  });
});
