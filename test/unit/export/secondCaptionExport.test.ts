// Exports with each image's second caption (`.tags.txt`): WebDataset members and caption table columns, byte for byte.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extract } from 'tar-stream';
import { ExportSample, exportCaptionTable, exportWebDataset, secondCaptionMember } from '../../../src/core/export';
import { TempDirs } from '../helpers/tempTree';
import { writeDataset } from './exportTestKit';

/** Every member of a tar file with its exact bytes, in order. */
async function tarMembers(file: string): Promise<Array<[string, Buffer]>> {
  const members: Array<[string, Buffer]> = [];
  const reader = extract();
  reader.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: unknown) => void chunks.push(c as Buffer));
    stream.on('end', () => {
      members.push([header.name, Buffer.concat(chunks)]);
      next();
    });
  });
  const done = new Promise<void>((resolve, reject) => {
    reader.on('finish', resolve);
    reader.on('error', reject);
  });
  fs.createReadStream(file).pipe(reader);
  await done;
  return members;
}

describe('second caption exports', () => {
  const temp = new TempDirs();
  let root: string;
  let samples: ExportSample[];
  after(() => temp.cleanup());

  before(async () => {
    root = await temp.make('ic-second-');
    const plain = await writeDataset(root, [
      { rel: 'a.jpg', width: 8, height: 8, caption: 'a red ball' },
      { rel: 'sub/b.png', width: 9, height: 9, caption: 'a "blue" cube' },
      { rel: 'c.jpg', width: 10, height: 10, caption: 'no tags yet' },
    ]);
    fs.writeFileSync(path.join(root, 'a.tags.txt'), 'red, ball, toy');
    fs.writeFileSync(path.join(root, 'sub', 'b.tags.txt'), '=cube, blue\nsecond line');
    samples = plain.map((s) => ({ ...s, secondCaptionPath: s.captionPath.replace(/\.txt$/, '.tags.txt') }));
  });

  it('names the member after the extension without its leading dot', () => {
    assert.equal(secondCaptionMember('.tags.txt'), 'tags.txt');
    assert.equal(secondCaptionMember('.Tags.TXT'), 'tags.txt');
  });

  it('writes a .tags.txt member beside .txt in every sample, with the exact bytes of the file (empty when there is none)', async () => {
    const outDir = path.join(await temp.make(), 'out');
    const report = await exportWebDataset(samples, { outDir, secondCaptionMember: 'tags.txt' });
    assert.equal(report.samples, 3);
    const members = new Map(await tarMembers(report.files[0]));
    assert.deepEqual([...members.keys()], [
      '000000000.jpg', '000000000.txt', '000000000.tags.txt', '000000000.json',
      '000000001.png', '000000001.txt', '000000001.tags.txt', '000000001.json',
      '000000002.jpg', '000000002.txt', '000000002.tags.txt', '000000002.json',
    ]);
    assert.deepEqual(members.get('000000000.tags.txt'), fs.readFileSync(path.join(root, 'a.tags.txt')));
    assert.deepEqual(members.get('000000001.tags.txt'), fs.readFileSync(path.join(root, 'sub', 'b.tags.txt')));
    assert.deepEqual(members.get('000000002.tags.txt'), Buffer.alloc(0));
    assert.deepEqual(members.get('000000000.txt'), Buffer.from('a red ball'));
    assert.equal(JSON.parse(members.get('000000001.json')!.toString()).second_caption, '=cube, blue\nsecond line');
    assert.equal(report.bytes, fs.statSync(report.files[0]).size, 'the size accounting counts the extra member');
  });

  it('writes no second member without second captions, and refuses a member that is a built-in one', async () => {
    const outDir = path.join(await temp.make(), 'out');
    const plain = samples.map(({ secondCaptionPath: _unused, ...rest }) => rest);
    const report = await exportWebDataset(plain, { outDir });
    assert.equal((await tarMembers(report.files[0])).filter(([name]) => name.endsWith('.tags.txt')).length, 0);
    await assert.rejects(exportWebDataset(samples, { outDir: path.join(outDir, 'x'), secondCaptionMember: 'txt' }), /member "txt" cannot be used/);
    await assert.rejects(exportWebDataset(samples, { outDir: path.join(outDir, 'y') }), /need its member name/);
  });

  it('skips a sample whose second caption is not UTF-8, naming it as the second caption', async () => {
    const dir = await temp.make('ic-second-bad-');
    const [one] = await writeDataset(dir, [{ rel: 'x.jpg', width: 8, height: 8, caption: 'fine' }]);
    fs.writeFileSync(path.join(dir, 'x.tags.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    const report = await exportWebDataset([{ ...one, secondCaptionPath: path.join(dir, 'x.tags.txt') }], { outDir: path.join(dir, 'out'), secondCaptionMember: 'tags.txt' });
    assert.equal(report.samples, 0);
    assert.equal(report.skipped[0].reason, 'caption not UTF-8');
    assert.match(report.skipped[0].detail!, /^second caption: /);
  });

  it('adds a second_text column to CSV and a second_text field to JSONL', async () => {
    const dir = await temp.make();
    const csv = path.join(dir, 'captions.csv');
    await exportCaptionTable(samples, { outFile: csv, format: 'csv' });
    assert.equal(fs.readFileSync(csv, 'utf8'), [
      'file_name,text,second_text',
      'a.jpg,a red ball,"red, ball, toy"',
      `sub/b.png,"a ""blue"" cube","'=cube, blue\nsecond line"`,
      'c.jpg,no tags yet,',
      '',
    ].join('\r\n'));
    const jsonl = path.join(dir, 'captions.jsonl');
    await exportCaptionTable(samples, { outFile: jsonl, format: 'jsonl' });
    assert.deepEqual(fs.readFileSync(jsonl, 'utf8').trim().split('\n').map((l) => JSON.parse(l)), [
      { file_name: 'a.jpg', text: 'a red ball', second_text: 'red, ball, toy' },
      { file_name: 'sub/b.png', text: 'a "blue" cube', second_text: '=cube, blue\nsecond line' },
      { file_name: 'c.jpg', text: 'no tags yet', second_text: '' },
    ]);
  });
});
