import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ExportSample, exportCaptionTable, exportImageFolder, exportWebDataset } from '../../../src/core/export';
import { TempDirs } from '../helpers/tempTree';
import { webdatasetSamples, writeDataset } from '../export/exportTestKit';

describe('exports carry the rating when the dataset has ratings', () => {
  const temp = new TempDirs();
  let plain: ExportSample[];
  let rated: ExportSample[];
  after(() => temp.cleanup());
  before(async () => {
    plain = await writeDataset(await temp.make('ic-rated-'), [
      { rel: 'a.png', width: 4, height: 4, caption: 'first' },
      { rel: 'b.png', width: 4, height: 4, caption: 'second' },
    ]);
    rated = plain.map((s, i) => ({ ...s, rating: [5, 0][i] }));
  });

  it('CSV and JSONL: a rating column (0 for unrated) only when there are ratings', async () => {
    const dir = await temp.make();
    await exportCaptionTable(rated, { outFile: path.join(dir, 'r.csv'), format: 'csv' });
    assert.equal(fs.readFileSync(path.join(dir, 'r.csv'), 'utf8'), 'file_name,text,rating\r\na.png,first,5\r\nb.png,second,0\r\n');
    await exportCaptionTable(rated, { outFile: path.join(dir, 'r.jsonl'), format: 'jsonl' });
    assert.equal(fs.readFileSync(path.join(dir, 'r.jsonl'), 'utf8'), '{"file_name":"a.png","text":"first","rating":5}\n{"file_name":"b.png","text":"second","rating":0}\n');
    await exportCaptionTable(plain, { outFile: path.join(dir, 'p.csv'), format: 'csv' });
    assert.equal(fs.readFileSync(path.join(dir, 'p.csv'), 'utf8'), 'file_name,text\r\na.png,first\r\nb.png,second\r\n');
  });

  it('imagefolder metadata.jsonl and WebDataset .json', async () => {
    const dir = await temp.make();
    await exportImageFolder(rated, { outDir: dir, copyImages: false });
    assert.equal(fs.readFileSync(path.join(dir, 'metadata.jsonl'), 'utf8'), '{"file_name":"a.png","text":"first","rating":5}\n{"file_name":"b.png","text":"second","rating":0}\n');
    const report = await exportWebDataset(rated, { outDir: dir, name: 'r' });
    const samples = webdatasetSamples(report.files[0]);
    assert.deepEqual(samples.map((s) => (s.json as { rating?: number }).rating), [5, 0]);
    const unrated = await exportWebDataset(plain, { outDir: dir, name: 'p' });
    assert.deepEqual(webdatasetSamples(unrated.files[0]).map((s) => 'rating' in (s.json as object)), [false, false]);
  });
});
