import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ExportSample, exportCaptionTable, exportImageFolder } from '../../../src/core/export';
import { TempDirs } from '../helpers/tempTree';
import { listDir, python, sha256File, writeDataset } from './exportTestKit';

const EXPECTED = [
  { file_name: 'cats/a, b.jpg', text: 'says "hi", twice' },
  { file_name: 'cats/ü.png', text: 'line one\nline two' },
  { file_name: 'top.jpg', text: 'plain' },
];

describe('exportImageFolder and exportCaptionTable', () => {
  const temp = new TempDirs();
  let samples: ExportSample[];
  after(() => temp.cleanup());

  before(async () => {
    const root = await temp.make('ic-table-');
    samples = await writeDataset(root, [
      { rel: 'cats/a, b.jpg', width: 10, height: 10, caption: 'says "hi", twice' },
      { rel: 'cats/ü.png', width: 11, height: 11, caption: 'line one\r\nline two' },
      { rel: 'dogs/none.jpg', width: 12, height: 12 },
      { rel: 'top.jpg', width: 13, height: 13, caption: 'plain' },
    ]);
  });

  it('imagefolder: copies images at their relative paths and writes metadata.jsonl', async () => {
    const outDir = path.join(await temp.make(), 'hf');
    const report = await exportImageFolder(samples, { outDir, copyImages: true });
    assert.deepEqual(listDir(outDir), ['cats', 'metadata.jsonl', 'top.jpg']);
    const lines = fs.readFileSync(path.join(outDir, 'metadata.jsonl'), 'utf8').split('\n');
    assert.equal(lines.pop(), '');
    assert.deepEqual(lines.map((l) => JSON.parse(l)), EXPECTED);
    for (const i of [0, 1, 3]) assert.equal(sha256File(path.join(outDir, samples[i].relPath)), sha256File(samples[i].imagePath));
    assert.deepEqual(report.skipped.map((s) => [s.path, s.reason]), [['dogs/none.jpg', 'no caption']]);
    assert.equal(report.samples, 3);
  });

  it('imagefolder without copying writes only metadata.jsonl', async () => {
    const outDir = await temp.make();
    await exportImageFolder(samples, { outDir, copyImages: false });
    assert.deepEqual(listDir(outDir), ['metadata.jsonl']);
  });

  it('CSV: RFC 4180 quoting that Python’s csv module reads back, UTF-8 without BOM', async () => {
    const outFile = path.join(await temp.make(), 'captions.csv');
    const report = await exportCaptionTable(samples, { outFile, format: 'csv' });
    const bytes = fs.readFileSync(outFile);
    assert.notEqual(bytes[0], 0xef, 'no BOM');
    assert.ok(bytes.toString('utf8').startsWith('file_name,text\r\n"cats/a, b.jpg","says ""hi"", twice"\r\n'));
    const rows = python<Array<Record<string, string>>>(`
import csv, json, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    print(json.dumps(list(csv.DictReader(f))))
`, outFile);
    assert.deepEqual(rows, EXPECTED);
    assert.equal(report.bytes, bytes.length);
  });

  it('CSV: a cell a spreadsheet would run as a formula (= + - @ tab CR) opens as text: a leading quote, and quoted', async () => {
    const root = await temp.make('ic-formula-');
    const hostile = await writeDataset(root, [
      { rel: '=HYPERLINK(1).jpg', width: 4, height: 4, caption: '=1+1' },
      { rel: '@home.jpg', width: 4, height: 4, caption: "+cmd|' /C calc'!A0" },
      { rel: 'plain.jpg', width: 4, height: 4, caption: '-2+3, "quoted"' },
      { rel: '-dash.jpg', width: 4, height: 4, caption: '@SUM(A1:A9)' },
      { rel: 'tab.jpg', width: 4, height: 4, caption: '\t=starts with a tab' },
      { rel: 'safe.jpg', width: 4, height: 4, caption: 'a = b + c - d @ e' },
      { rel: 'cr.jpg', width: 4, height: 4, caption: '\r=starts with a CR' },
    ]);
    const outFile = path.join(await temp.make(), 'captions.csv');
    await exportCaptionTable(hostile, { outFile, format: 'csv' });
    assert.equal(
      fs.readFileSync(outFile, 'utf8'),
      'file_name,text\r\n' +
        `"'=HYPERLINK(1).jpg","'=1+1"\r\n` +
        `"'@home.jpg","'+cmd|' /C calc'!A0"\r\n` +
        `plain.jpg,"'-2+3, ""quoted"""\r\n` +
        `"'-dash.jpg","'@SUM(A1:A9)"\r\n` +
        `tab.jpg,"'\t=starts with a tab"\r\n` +
        'safe.jpg,a = b + c - d @ e\r\n' +
        `cr.jpg,"'\r=starts with a CR"\r\n`,
    );
    const rows = python<string[][]>(`
import csv, json, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    print(json.dumps([row for row in csv.reader(f)][1:]))
`, outFile);
    assert.equal(rows.length, 7);
    assert.ok(rows.every((row) => row.every((cell) => !/^[=+\-@\t\r]/.test(cell))), JSON.stringify(rows));
    assert.deepEqual(rows[0], ["'=HYPERLINK(1).jpg", "'=1+1"], 'the text itself follows the quote');
  });

  it('JSONL: one object per line', async () => {
    const outFile = path.join(await temp.make(), 'captions.jsonl');
    await exportCaptionTable(samples, { outFile, format: 'jsonl' });
    const rows = python<unknown[]>(`
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    print(json.dumps([json.loads(line) for line in f]))
`, outFile);
    assert.deepEqual(rows, EXPECTED);
  });

  it('leaves no partial table or metadata when cancelled', async () => {
    const dir = await temp.make();
    /** Samples that cancel the export when the second one is read, noting the folder's files at that moment. */
    const cancellingAtSecond = (controller: AbortController, seen: string[][]) =>
      samples.map((s, i) => (i === 1 ? { ...s, get captionPath() {
        if (!controller.signal.aborted) seen.push(listDir(dir));
        controller.abort();
        return s.captionPath;
      } } : s));
    const tableSeen: string[][] = [];
    const table = new AbortController();
    await assert.rejects(exportCaptionTable(cancellingAtSecond(table, tableSeen), { outFile: path.join(dir, 'c.csv'), format: 'csv', signal: table.signal }), { name: 'AbortError' });
    const folderSeen: string[][] = [];
    const folder = new AbortController();
    await assert.rejects(exportImageFolder(cancellingAtSecond(folder, folderSeen), { outDir: dir, copyImages: false, signal: folder.signal }), { name: 'AbortError' });
    assert.deepEqual(listDir(dir), []);
    // Each export was cancelled while writing, its file begun under a temp name.
    assert.equal(tableSeen.length, 1);
    assert.match(tableSeen[0].join(), /^\.c\.csv\..*\.tmp$/);
    assert.equal(folderSeen.length, 1);
    assert.match(folderSeen[0].join(), /^\.metadata\.jsonl\..*\.tmp$/);
  });
});
