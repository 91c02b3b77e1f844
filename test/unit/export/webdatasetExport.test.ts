import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ExportSample, exportWebDataset } from '../../../src/core/export';
import { TempDirs } from '../helpers/tempTree';
import sharp from 'sharp';
import { listDir, sha256File, tarListing, webdatasetSamples, writeDataset, writeImage } from './exportTestKit';
import { DatasetBoundary } from '../../../src/core/files/datasetBoundary';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const REGIONS = {
  version: 1,
  image: { width: 64, height: 48 },
  regions: [{ id: 'r1', kind: 'box', bbox: [0.1, 0.2, 0.3, 0.4], label: 'cat', description: 'a cat', model: 'm', updated: '2024-01-01T00:00:00Z' }],
};

describe('exportWebDataset', () => {
  const temp = new TempDirs();
  let root: string;
  let samples: ExportSample[];
  after(() => temp.cleanup());

  before(async () => {
    root = await temp.make('ic-wds-');
    samples = await writeDataset(root, [
      { rel: 'cats/a b.JPG', width: 64, height: 48, caption: 'a cat\r\nsitting' },
      { rel: 'cats/ünïcode fête.png', width: 30, height: 20, caption: Buffer.concat([BOM, Buffer.from('ü café, “quoted”')]) },
      { rel: 'no caption.jpg', width: 8, height: 8 },
      { rel: 'dots/v1.2.final.jpeg', width: 10, height: 12, caption: 'dots in the name' },
      { rel: 'blank.jpg', width: 8, height: 8, caption: '  \n' },
      { rel: 'latin1.jpg', width: 8, height: 8, caption: Buffer.from([0x63, 0x61, 0x66, 0xe9]) },
      { rel: 'web/w.webp', width: 16, height: 16, caption: 'webp image' },
    ]);
    fs.writeFileSync(path.join(root, 'cats', 'a b.regions.json'), JSON.stringify(REGIONS));
    fs.writeFileSync(path.join(root, 'broken.jpg'), 'not an image at all');
    fs.writeFileSync(path.join(root, 'broken.txt'), 'broken');
    fs.writeFileSync(path.join(root, 'gone.txt'), 'the image was deleted');
    for (const stem of ['broken', 'gone']) {
      samples.push({ imagePath: path.join(root, `${stem}.jpg`), relPath: `${stem}.jpg`, captionPath: path.join(root, `${stem}.txt`), boundary: DatasetBoundary.atSync(root) });
    }
    samples[3] = { ...samples[3], metadata: { model: 'nvidia/vila', key: 'must not override' } };
  });

  it('writes samples that webdataset groups by key, each with exactly image, txt and json', async () => {
    const outDir = path.join(await temp.make(), 'out');
    const report = await exportWebDataset(samples, { outDir });
    assert.deepEqual(report.files, [path.join(outDir, 'dataset-000000.tar')]);
    assert.equal(report.samples, 4);
    assert.equal(report.bytes, fs.statSync(report.files[0]).size);
    const got = webdatasetSamples(report.files[0]);
    assert.deepEqual(got.map((s) => Object.keys(s).sort()), [
      ['__key__', 'jpg', 'json', 'txt'],
      ['__key__', 'json', 'png', 'txt'],
      ['__key__', 'jpeg', 'json', 'txt'],
      ['__key__', 'json', 'txt', 'webp'],
    ]);
    assert.deepEqual(got.map((s) => s.__key__), ['000000000', '000000001', '000000002', '000000003']);
    assert.deepEqual(got.map((s) => s.txt), ['a cat\nsitting', 'ü café, “quoted”', 'dots in the name', 'webp image']);
    assert.deepEqual(got[0].json, {
      key: '000000000', source: 'cats/a b.JPG', width: 64, height: 48, caption: 'a cat\nsitting', regions: REGIONS.regions,
    });
    assert.deepEqual(got[1].json, { key: '000000001', source: 'cats/ünïcode fête.png', width: 30, height: 20, caption: 'ü café, “quoted”' });
    assert.deepEqual(got[2].json, { key: '000000002', source: 'dots/v1.2.final.jpeg', width: 10, height: 12, caption: 'dots in the name', model: 'nvidia/vila' });
  });

  it('keeps every image byte unchanged', async () => {
    const report = await exportWebDataset(samples, { outDir: await temp.make() });
    const got = webdatasetSamples(report.files[0]);
    assert.deepEqual(got.map((s) => s.jpg ?? s.png ?? s.jpeg ?? s.webp), [0, 1, 3, 6].map((i) => sha256File(samples[i].imagePath)));
  });

  it('writes no BOM and no CR into the txt members', async () => {
    const report = await exportWebDataset(samples, { outDir: await temp.make() });
    const tar = fs.readFileSync(report.files[0]);
    assert.equal(tar.indexOf(BOM), -1);
    assert.ok(tar.indexOf(Buffer.from('a cat\nsitting')) > 0);
    assert.equal(tar.indexOf(Buffer.from('a cat\r\nsitting')), -1);
  });

  it('lists members adjacent per sample and in the given order, with fixed owner, mode and date (tar -tvf)', async () => {
    const report = await exportWebDataset(samples, { outDir: await temp.make() });
    const lines = tarListing(report.files[0]);
    assert.deepEqual(lines.map((l) => l.split(/\s+/).pop()), [
      '000000000.jpg', '000000000.txt', '000000000.json',
      '000000001.png', '000000001.txt', '000000001.json',
      '000000002.jpeg', '000000002.txt', '000000002.json',
      '000000003.webp', '000000003.txt', '000000003.json',
    ]);
    for (const line of lines) assert.match(line, /^-rw-r--r-- 0\/0 +\d+ 2000-01-01 00:00 /);
  });

  it('gives byte-identical shards for the same dataset, whatever the files’ mtimes', async () => {
    const options = { maxSamplesPerShard: 3 };
    const first = await exportWebDataset(samples, { ...options, outDir: await temp.make() });
    for (const s of samples) if (fs.existsSync(s.imagePath)) fs.utimesSync(s.imagePath, new Date(), new Date(2011, 1, 1));
    const second = await exportWebDataset(samples, { ...options, outDir: await temp.make() });
    assert.equal(first.files.length, 2);
    assert.deepEqual(first.files.map((f) => path.basename(f)), second.files.map((f) => path.basename(f)));
    assert.deepEqual(first.files.map(sha256File), second.files.map(sha256File));
  });

  it('reports each skipped file with its reason', async () => {
    const report = await exportWebDataset(samples, { outDir: await temp.make() });
    assert.deepEqual(report.skipped.map(({ path: p, reason }) => ({ path: p, reason })), [
      { path: 'no caption.jpg', reason: 'no caption' },
      { path: 'blank.jpg', reason: 'no caption' },
      { path: 'latin1.jpg', reason: 'caption not UTF-8' },
      { path: 'broken.jpg', reason: 'image unreadable' },
      { path: 'gone.jpg', reason: 'image missing' },
    ]);
    assert.match(report.skipped[2].detail ?? '', /not UTF-8/);
  });

  it('exports uncaptioned images with an empty txt when onlyCaptioned is off', async () => {
    const report = await exportWebDataset(samples, { outDir: await temp.make(), onlyCaptioned: false });
    const got = webdatasetSamples(report.files[0]);
    assert.deepEqual(got.map((s) => s.txt), ['a cat\nsitting', 'ü café, “quoted”', '', 'dots in the name', '  \n', 'webp image']);
    assert.deepEqual(report.skipped.map((s) => s.reason), ['caption not UTF-8', 'image unreadable', 'image missing']);
  });

  it('skips a zero-byte image read right after others, not a 0x0 sample from stale read-ahead bytes', async () => {
    const dir = await temp.make('ic-wds-zero-');
    const images = await writeDataset(dir, [
      { rel: 'a.png', width: 20, height: 10, caption: 'first' },
      { rel: 'b.jpg', width: 8, height: 8, caption: 'second' },
    ]);
    for (const name of ['zero-bytes.png', 'zero.jpg']) {
      fs.writeFileSync(path.join(dir, name), Buffer.alloc(0));
      // Captioned, so that both modes read the image (onlyCaptioned skips an uncaptioned one unread).
      const captionPath = path.join(dir, `${path.parse(name).name}.txt`);
      fs.writeFileSync(captionPath, `caption of ${name}`);
      images.push({ imagePath: path.join(dir, name), relPath: name, captionPath, boundary: DatasetBoundary.atSync(dir) });
    }
    for (const onlyCaptioned of [true, false]) {
      const report = await exportWebDataset(images, { outDir: await temp.make(), onlyCaptioned });
      assert.deepEqual(webdatasetSamples(report.files[0]).map((sample) => (sample.json as { source: string }).source), ['a.png', 'b.jpg'], `onlyCaptioned ${onlyCaptioned}`);
      assert.deepEqual(report.skipped.map(({ path: p, reason }) => ({ path: p, reason })), [
        { path: 'zero-bytes.png', reason: 'image unreadable' },
        { path: 'zero.jpg', reason: 'image unreadable' },
      ], `onlyCaptioned ${onlyCaptioned}`);
      assert.match(report.skipped[0].detail ?? '', /empty \(0 bytes\)/);
    }
  });

  it('keeps every byte of 240 distinct images whose read-ahead memory is reused between samples', async function () {
    this.timeout(30_000);
    const dir = await temp.make('ic-wds-reuse-');
    const many = await writeDataset(
      dir,
      Array.from({ length: 240 }, (_, i) => ({ rel: `p${Math.floor(i / 60)}/i${i}.jpg`, width: 60 + (i % 90), height: 50 + ((i * 7) % 80), caption: `caption ${i}` })),
    );
    const report = await exportWebDataset(many, { outDir: await temp.make() });
    assert.equal(report.samples, 240);
    const got = webdatasetSamples(report.files[0]);
    got.forEach((sample, i) => assert.equal(sample.jpg, sha256File(many[i].imagePath), many[i].relPath));
  });

  it('skips images whose extension could not name a plain tar member (non-ASCII, too long)', async () => {
    const dir = await temp.make('ic-wds-ext-');
    const images = await writeDataset(dir, [{ rel: 'fine.png', width: 8, height: 8, caption: 'fine' }]);
    for (const name of ['photo.jpé', `long.${'x'.repeat(40)}`]) {
      fs.copyFileSync(images[0].imagePath, path.join(dir, name));
      fs.writeFileSync(path.join(dir, `${name.split('.')[0]}.txt`), 'a caption');
      images.push({ imagePath: path.join(dir, name), relPath: name, captionPath: path.join(dir, `${name.split('.')[0]}.txt`), boundary: DatasetBoundary.atSync(dir) });
    }
    const report = await exportWebDataset(images, { outDir: await temp.make() });
    assert.equal(report.samples, 1);
    assert.deepEqual(report.skipped.map((s) => s.path), ['photo.jpé', `long.${'x'.repeat(40)}`]);
    assert.equal(report.bytes, fs.statSync(report.files[0]).size, 'the size accounted is the size written');
  });

  it('names shards with the given prefix and keeps keys dot-free for names full of dots, spaces and unicode', async () => {
    const dir = await temp.make();
    const odd = await writeDataset(dir, [
      { rel: 'a.b.c d.e.JPG', width: 5, height: 5, caption: 'one' },
      { rel: '日本 語/.hidden.png', width: 6, height: 6, caption: 'two' },
      { rel: 'x..y.jpg', width: 7, height: 7, caption: 'three' },
    ]);
    await writeImage(path.join(dir, 'unused.jpg'), 4, 4);
    const outDir = path.join(dir, 'out');
    const report = await exportWebDataset(odd, { outDir, name: 'odd-set' });
    assert.deepEqual(listDir(outDir), ['odd-set-000000.tar']);
    const got = webdatasetSamples(report.files[0]);
    assert.deepEqual(got.map((s) => [s.__key__, Object.keys(s).sort().join(' '), (s.json as { source: string }).source]), [
      ['000000000', '__key__ jpg json txt', 'a.b.c d.e.JPG'],
      ['000000001', '__key__ json png txt', '日本 語/.hidden.png'],
      ['000000002', '__key__ jpg json txt', 'x..y.jpg'],
    ]);
  });

  it('streams an image larger than the 1 MB read-ahead in chunks, its bytes unchanged', async () => {
    const dir = await temp.make();
    const big = await writeDataset(dir, [{ rel: 'big.png', width: 900, height: 700, caption: 'big' }, { rel: 'after.jpg', width: 9, height: 9, caption: 'after' }]);
    assert.ok(fs.statSync(big[0].imagePath).size > 1024 * 1024, 'the fixture must pass the read-ahead size');
    const report = await exportWebDataset(big, { outDir: await temp.make() });
    const got = webdatasetSamples(report.files[0]);
    assert.deepEqual(got.map((s) => s.png ?? s.jpg), big.map((s) => sha256File(s.imagePath)));
    assert.deepEqual(got.map((s) => [(s.json as { width: number }).width, (s.json as { height: number }).height]), [[900, 700], [9, 9]]);
  });

  it('gives the displayed pixel size of a JPEG rotated by EXIF orientation 6', async () => {
    const dir = await temp.make();
    const image = path.join(dir, 'rotated.jpg');
    await sharp({ create: { width: 40, height: 10, channels: 3, background: '#336699' } }).jpeg().withMetadata({ orientation: 6 }).toFile(image);
    fs.writeFileSync(path.join(dir, 'rotated.txt'), 'rotated');
    const report = await exportWebDataset([{ imagePath: image, relPath: 'rotated.jpg', captionPath: path.join(dir, 'rotated.txt'), boundary: DatasetBoundary.atSync(dir) }], { outDir: await temp.make() });
    const json = webdatasetSamples(report.files[0])[0].json as { width: number; height: number };
    assert.deepEqual([json.width, json.height], [10, 40]);
  });
});
