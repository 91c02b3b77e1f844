import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { ExportSample, exportSeedZip } from '../../../src/core/export';
import { TempDirs } from '../helpers/tempTree';
import { listDir, python, sha256File, writeDataset } from './exportTestKit';

interface PyZip {
  readonly names: string[];
  readonly compression: Record<string, number>;
  readonly sha256: Record<string, string>;
  readonly labels: Array<{ file_name: string; text: string }>;
  readonly badFile: string | null;
}

function readZip(file: string): PyZip {
  return python<PyZip>(`
import hashlib, json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    infos = z.infolist()
    print(json.dumps({
        "names": [i.filename for i in infos],
        "compression": {i.filename: i.compress_type for i in infos},
        "sha256": {i.filename: hashlib.sha256(z.read(i)).hexdigest() for i in infos},
        "labels": json.loads(z.read("label.json").decode("utf-8")),
        "badFile": z.testzip(),
    }))
`, file);
}

describe('exportSeedZip', () => {
  const temp = new TempDirs();
  let samples: ExportSample[];
  after(() => temp.cleanup());

  before(async () => {
    const root = await temp.make('ic-zip-');
    samples = await writeDataset(root, [
      { rel: 'a/photo.jpg', width: 20, height: 10, caption: 'first photo' },
      { rel: 'b/photo.jpg', width: 21, height: 10, caption: 'second "photo"\nwith two lines' },
      { rel: 'c/photo_2.jpg', width: 22, height: 10, caption: 'a real photo_2' },
      { rel: 'd/PHOTO.jpg', width: 23, height: 10, caption: 'upper case' },
      { rel: 'uncaptioned.png', width: 8, height: 8 },
      { rel: 'ü space.png', width: 9, height: 9, caption: 'ünïcode' },
    ]);
  });

  it('lays images out flat with deterministic names for collisions, plus label.json (Python zipfile)', async () => {
    const outFile = path.join(await temp.make(), 'webData.zip');
    const report = await exportSeedZip(samples, { outFile });
    const flat = ['photo.jpg', 'photo_2.jpg', 'photo_2_2.jpg', 'PHOTO_3.jpg', 'ü space.png'];
    const zip = readZip(outFile);
    assert.equal(zip.badFile, null);
    assert.deepEqual(zip.names, [...flat, 'label.json']);
    assert.deepEqual(zip.labels, [
      { file_name: 'photo.jpg', text: 'first photo' },
      { file_name: 'photo_2.jpg', text: 'second "photo"\nwith two lines' },
      { file_name: 'photo_2_2.jpg', text: 'a real photo_2' },
      { file_name: 'PHOTO_3.jpg', text: 'upper case' },
      { file_name: 'ü space.png', text: 'ünïcode' },
    ]);
    const sources = [0, 1, 2, 3, 5].map((i) => sha256File(samples[i].imagePath));
    assert.deepEqual(flat.map((name) => zip.sha256[name]), sources);
    assert.deepEqual(flat.map((name) => zip.compression[name]), [0, 0, 0, 0, 0], 'images are stored');
    assert.equal(zip.compression['label.json'], 8, 'label.json is deflated');
    assert.deepEqual(report.skipped.map((s) => [s.path, s.reason]), [['uncaptioned.png', 'no caption']]);
    assert.equal(report.samples, 5);
  });

  it('names no entry with a backslash, a drive, `..` or an absolute path, whatever the file names (Python zipfile)', async () => {
    const root = await temp.make('ic-zip-hostile-');
    const hostile = await writeDataset(root, [
      { rel: 'a/..\\..\\..\\evil.jpg', width: 4, height: 4, caption: 'backslashes climb out on Windows' },
      { rel: 'C:evil.jpg', width: 4, height: 4, caption: 'a drive letter' },
      { rel: 'b/\\abs\\olute.jpg', width: 4, height: 4, caption: 'a root on Windows' },
      { rel: 'c/x.jpg:stream.jpg', width: 4, height: 4, caption: 'an NTFS stream' },
      { rel: 'd/con?*|<>".jpg', width: 4, height: 4, caption: 'characters Windows refuses' },
    ]);
    const outFile = path.join(await temp.make(), 'webData.zip');
    await exportSeedZip(hostile, { outFile });
    const zip = readZip(outFile);
    const expected = ['.._.._.._evil.jpg', 'C_evil.jpg', '_abs_olute.jpg', 'x.jpg_stream.jpg', 'con______.jpg'];
    assert.deepEqual(zip.names, [...expected, 'label.json']);
    for (const name of zip.names) assert.ok(!/[\\/:]/.test(name) && name !== '..', name);
    assert.deepEqual(zip.labels.map((l) => l.file_name), expected, 'label.json names the entries as written');
    const extracted = await temp.make();
    execFileSync('unzip', ['-q', outFile, '-d', extracted]);
    assert.deepEqual(listDir(extracted), [...expected, 'label.json'].sort(), 'everything lands inside the folder it was unpacked into');
  });

  it('opens in unzip: listed and tested without errors', async () => {
    const outFile = path.join(await temp.make(), 'webData.zip');
    await exportSeedZip(samples, { outFile });
    const listing = execFileSync('unzip', ['-l', outFile], { encoding: 'utf8' });
    for (const name of ['photo.jpg', 'photo_2.jpg', 'photo_2_2.jpg', 'PHOTO_3.jpg', 'label.json']) assert.match(listing, new RegExp(` ${name}\\n`));
    assert.match(listing, /6 files/);
    assert.match(execFileSync('unzip', ['-t', outFile], { encoding: 'utf8' }), /No errors detected/);
  });

  it('gives byte-identical zips for the same dataset', async () => {
    const dir = await temp.make();
    await exportSeedZip(samples, { outFile: path.join(dir, 'one.zip') });
    await exportSeedZip(samples, { outFile: path.join(dir, 'two.zip') });
    assert.equal(sha256File(path.join(dir, 'one.zip')), sha256File(path.join(dir, 'two.zip')));
  });

  it('leaves no file behind when cancelled while it plans the names', async () => {
    const dir = await temp.make();
    const controller = new AbortController();
    const cancelling = samples.map((s, i) => (i === 2 ? { ...s, get relPath() { controller.abort(); return s.relPath; } } : s));
    await assert.rejects(exportSeedZip(cancelling, { outFile: path.join(dir, 'webData.zip'), signal: controller.signal }), { name: 'AbortError' });
    assert.deepEqual(listDir(dir), []);
  });

  it('leaves no file behind when cancelled while the zip is being written', async () => {
    const dir = await temp.make();
    const controller = new AbortController();
    const seen: string[][] = [];
    // The first progress report comes once the zip has begun streaming to its temp file.
    const onProgress = (_done: number, _total: number, bytes: number): void => {
      if (controller.signal.aborted || bytes === 0) return;
      seen.push(listDir(dir));
      controller.abort();
    };
    await assert.rejects(exportSeedZip(samples, { outFile: path.join(dir, 'webData.zip'), signal: controller.signal, onProgress }), { name: 'AbortError' });
    assert.deepEqual(listDir(dir), []);
    assert.equal(seen.length, 1, 'cancelled mid-write');
    assert.match(seen[0].join(), /^\.webData\.zip\..*\.tmp$/);
  });
});
