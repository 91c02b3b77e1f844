import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exportCaptionTable, exportImageFolder, exportSeedZip, exportWebDataset, ExportReport, ExportSample } from '../../../src/core/export';
import { TempDirs } from '../helpers/tempTree';
import { pngClaiming } from '../../fixtures/images/bombImages';
import { listDir, tarListing, writeDataset, writeImage } from './exportTestKit';
import { within } from '../helpers/timeLimit';

/** Every export, each into a fresh place, with the dataset's samples. */
const EXPORTS: Record<string, (samples: ExportSample[], out: string) => Promise<ExportReport>> = {
  webdataset: (samples, out) => exportWebDataset(samples, { outDir: out }),
  zip: (samples, out) => exportSeedZip(samples, { outFile: path.join(out, 'seed.zip') }),
  imagefolder: (samples, out) => exportImageFolder(samples, { outDir: out, copyImages: true }),
  csv: (samples, out) => exportCaptionTable(samples, { outFile: path.join(out, 'captions.csv'), format: 'csv' }),
};


/** All bytes of every file under `dir`, as one string: the secret must appear in none. */
function everything(dir: string): string {
  return listDir(dir).map((rel) => fs.readFileSync(path.join(dir, rel)).toString('latin1')).join('\n');
}

describe('exports of a dataset holding links out of it and special files', function () {
  this.timeout(20_000);
  const temp = new TempDirs();
  after(() => temp.cleanup());

  let samples: ExportSample[];
  let secretPhoto: string;

  before(async () => {
    const root = await temp.make('ic-hostile-export-');
    const outside = await temp.make('ic-private-');
    secretPhoto = path.join(outside, 'private.jpg');
    await writeImage(secretPhoto, 9, 9);
    fs.appendFileSync(secretPhoto, 'PRIVATE-PHOTO-MARKER');
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'PRIVATE-CAPTION-MARKER');
    samples = await writeDataset(root, [{ rel: 'own.jpg', width: 8, height: 8, caption: 'own caption' }]);
    const boundary = samples[0].boundary;
    const add = (rel: string): void => {
      const imagePath = path.join(root, rel);
      samples.push({ imagePath, relPath: rel, captionPath: imagePath.replace(/\.jpg$/, '.txt'), boundary });
    };
    fs.symlinkSync(secretPhoto, path.join(root, 'borrowed.jpg'));
    fs.writeFileSync(path.join(root, 'borrowed.txt'), 'a caption for a borrowed photo');
    add('borrowed.jpg');
    await writeImage(path.join(root, 'leaky.jpg'), 8, 8);
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'leaky.txt'));
    add('leaky.jpg');
    if (process.platform !== 'win32') {
      await writeImage(path.join(root, 'piped.jpg'), 8, 8);
      execFileSync('mkfifo', [path.join(root, 'piped.txt')]);
      add('piped.jpg');
      execFileSync('mkfifo', [path.join(root, 'pipe-image.jpg')]);
      fs.writeFileSync(path.join(root, 'pipe-image.txt'), 'caption of a FIFO image');
      add('pipe-image.jpg');
    }
  });

  for (const [name, run] of Object.entries(EXPORTS)) {
    it(`${name}: exports only what lies inside, skips the rest with a reason, and never blocks`, async () => {
      const out = await temp.make(`ic-out-${name}-`);
      const report = await within(10_000, run(samples, out));
      assert.equal(report.samples, 1);
      const reasons = Object.fromEntries(report.skipped.map((s) => [s.path, s.reason]));
      assert.equal(reasons['borrowed.jpg'], 'outside the dataset');
      assert.equal(reasons['leaky.jpg'], 'outside the dataset');
      if (process.platform !== 'win32') {
        assert.equal(reasons['piped.jpg'], 'caption unreadable');
        assert.equal(reasons['pipe-image.jpg'], 'image unreadable');
      }
      const bytes = everything(out);
      assert.ok(!bytes.includes('PRIVATE-PHOTO-MARKER'), 'the photo outside the dataset was exported');
      assert.ok(!bytes.includes('PRIVATE-CAPTION-MARKER'), 'the caption outside the dataset was exported');
      if (name === 'webdataset') assert.deepEqual(tarListing(report.files[0]).map((m) => m.split(' ').pop()), ['000000000.jpg', '000000000.txt', '000000000.json']);
    });
  }

  it('webdataset: leaves out an image whose header claims more pixels than one decode may take (a trainer would choke on it)', async () => {
    const root = await temp.make('ic-bomb-export-');
    const kept = await writeDataset(root, [{ rel: 'fine.jpg', width: 8, height: 8, caption: 'a fine image' }]);
    fs.writeFileSync(path.join(root, 'bomb.png'), pngClaiming(60_000, 60_000));
    fs.writeFileSync(path.join(root, 'bomb.txt'), 'a caption for a bomb');
    const bomb = { imagePath: path.join(root, 'bomb.png'), relPath: 'bomb.png', captionPath: path.join(root, 'bomb.txt'), boundary: kept[0].boundary };
    const report = await exportWebDataset([...kept, bomb], { outDir: await temp.make('ic-out-bomb-') });
    assert.equal(report.samples, 1);
    assert.deepEqual(report.skipped.map((s) => [s.path, s.reason]), [['bomb.png', 'image unreadable']]);
    assert.match(report.skipped[0].detail ?? '', /60000x60000 pixels .* decompression bomb/);
  });
});
