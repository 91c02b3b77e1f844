import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCocoCaptions } from '../../../src/core/import/cocoCaptions';
import { parseColumnCsv, parseJsonl } from '../../../src/core/import/columnFormats';
import { parseFlickrCsv, parseFlickrToken } from '../../../src/core/import/flickrFormats';
import { CaptionRecord } from '../../../src/core/import/importTypes';
import { parseCaptionSource } from '../../../src/core/import/parseCaptionSource';
import { TempDirs } from '../helpers/tempTree';
import { FLICKR_CAPTIONS, cocoJson, csvLineOf, flickrCsv, flickrToken } from './importFixtures';

const captionsOf = (records: readonly CaptionRecord[], image: string): string[] =>
  records.filter((r) => r.image === image).map((r) => r.caption);

describe('import parsers: caption-set files to records', () => {
  const temp = new TempDirs();
  afterEach(() => temp.cleanup());

  it('reads Flickr captions.txt with quoted commas, quotes and unicode, numbering each image 0-4', () => {
    const records = parseFlickrCsv(flickrCsv(), 'captions.txt');
    assert.equal(records.length, 15);
    for (const [image, captions] of FLICKR_CAPTIONS) assert.deepEqual(captionsOf(records, image), captions);
    assert.deepEqual(records[2], {
      image: '1000268201_693b08cb0e.jpg',
      caption: 'A little girl, in pink, climbs into a wooden playhouse .',
      index: 2,
      line: csvLineOf(0, 2),
    });
    assert.equal(records[14].caption, 'Young girl with pigtails painting outside in the grass, "rainbow" café .');
    assert.deepEqual(records.map((r) => r.index), [0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
  });

  it('reads the CSV with CRLF line ends and gives the starting line of a caption spanning two lines', () => {
    const text = 'image,caption\r\na.jpg,"one\r\ntwo"\r\n\r\nb.jpg,three\r\n';
    const { records } = parseCaptionSource(Buffer.from(text), 'captions.txt');
    assert.deepEqual(records, [
      { image: 'a.jpg', caption: 'one\ntwo', index: 0, line: 2 },
      { image: 'b.jpg', caption: 'three', index: 0, line: 5 },
    ]);
  });

  it('keeps unquoted commas of a Flickr caption in the caption, since image names hold none', () => {
    const records = parseFlickrCsv('image,caption\nx.jpg,A dog, a cat, a bird .\n', 'captions.txt');
    assert.deepEqual(records, [{ image: 'x.jpg', caption: 'A dog, a cat, a bird .', index: 0, line: 2 }]);
  });

  it('reads the tab format with #n as the index, skipping blank lines', () => {
    const text = flickrToken().replace('1001773457_577c3a7d70.jpg#0', '\n1001773457_577c3a7d70.jpg#0');
    const records = parseFlickrToken(text, 'Flickr8k.token.txt');
    assert.equal(records.length, 15);
    assert.deepEqual(records[5], {
      image: '1001773457_577c3a7d70.jpg',
      caption: 'A black dog and a spotted dog are fighting',
      index: 0,
      line: 7,
    });
    for (const [image, captions] of FLICKR_CAPTIONS) assert.deepEqual(captionsOf(records, image), captions);
  });

  it('reads the index written after # even when captions come out of order', () => {
    const records = parseFlickrToken('b.jpg#3\tthird\nb.jpg#0\tzeroth\n', 't.txt');
    assert.deepEqual(records.map((r) => [r.index, r.caption, r.line]), [[3, 'third', 1], [0, 'zeroth', 2]]);
  });

  it('reads COCO captions JSON, mapping image_id to file_name and numbering captions per image', () => {
    const records = parseCocoCaptions(cocoJson(), 'captions_val2014.json');
    assert.equal(records.length, 15);
    assert.deepEqual(records[0], { image: '1000268201_693b08cb0e.jpg', caption: FLICKR_CAPTIONS[0][1][0], index: 0 });
    assert.deepEqual(records[3], { image: '1000268201_693b08cb0e.jpg', caption: FLICKR_CAPTIONS[0][1][1], index: 1 });
    for (const [image, captions] of FLICKR_CAPTIONS) assert.deepEqual(captionsOf(records, image), captions);
  });

  it('reads a generic CSV with custom column names, in any order, case-insensitively', () => {
    const text = 'Caption Text;id;Picture\n"red car; parked";1;cars/a.png\nblue sky;2;b.png\n';
    const records = parseColumnCsv(text, 'set.csv', { imageColumn: 'picture', captionColumn: 'caption text' });
    assert.deepEqual(records, [
      { image: 'cars/a.png', caption: 'red car; parked', index: 0, line: 2 },
      { image: 'b.png', caption: 'blue sky', index: 0, line: 3 },
    ]);
  });

  it('detects common column names in a CSV: file_name and text, as in metadata.csv', () => {
    const records = parseColumnCsv('file_name,width,text\na.jpg,5,"hello, world"\na.jpg,5,again\n', 'metadata.csv');
    assert.deepEqual(records.map((r) => [r.image, r.caption, r.index]), [['a.jpg', 'hello, world', 0], ['a.jpg', 'again', 1]]);
  });

  it('reads Flickr30k results.csv (pipe-separated, padded header) through the generic CSV reader', () => {
    const text = 'image_name| comment_number| comment\n1000092795.jpg| 0| Two young guys with shaggy hair .\n1000092795.jpg| 1| Two young , White males are outside .\n';
    const records = parseColumnCsv(text, 'results.csv');
    assert.deepEqual(records.map((r) => [r.image, r.caption, r.index]), [
      ['1000092795.jpg', 'Two young guys with shaggy hair .', 0],
      ['1000092795.jpg', 'Two young , White males are outside .', 1],
    ]);
  });

  it('reads JSONL with custom keys and with detected ones, an array of captions giving several records', () => {
    const custom = '{"img":"a.jpg","desc":"first"}\n\n{"img":"b.jpg","desc":["one","two"]}\n';
    assert.deepEqual(parseJsonl(custom, 'x.jsonl', { imageColumn: 'img', captionColumn: 'desc' }), [
      { image: 'a.jpg', caption: 'first', index: 0, line: 1 },
      { image: 'b.jpg', caption: 'one', index: 0, line: 3 },
      { image: 'b.jpg', caption: 'two', index: 1, line: 3 },
    ]);
    const detected = parseJsonl('{"file_name":"cats/a.jpg","text":"a cat"}\n{"file_name":"b.jpg","text":null}\n', 'metadata.jsonl');
    assert.deepEqual(detected.map((r) => [r.image, r.caption]), [['cats/a.jpg', 'a cat'], ['b.jpg', '']]);
  });

  it('parses files from disk in every format, detecting the format from name and content', async () => {
    const dir = await temp.make();
    const files: Record<string, [string, string]> = {
      'captions.txt': [flickrCsv(), 'flickr-csv'],
      'Flickr8k.token.txt': [flickrToken(), 'flickr-token'],
      'captions_train2014.json': [cocoJson(), 'coco-json'],
      'metadata.jsonl': ['{"file_name":"a.jpg","text":"x"}\n', 'jsonl'],
      'labels.csv': ['path,label\na.jpg,x\n', 'csv'],
    };
    for (const [name, [content, format]] of Object.entries(files)) {
      const file = path.join(dir, name);
      await fs.promises.writeFile(file, content);
      const parsed = parseCaptionSource(await fs.promises.readFile(file), name);
      assert.equal(parsed.format, format, name);
      assert.ok(parsed.records.length > 0, name);
    }
  });

  it('parses a UTF-8 file with a BOM as if it had none', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(flickrCsv())]);
    const parsed = parseCaptionSource(bytes, 'captions.txt');
    assert.equal(parsed.format, 'flickr-csv');
    assert.equal(parsed.records[0].image, '1000268201_693b08cb0e.jpg');
  });

  it('obeys an explicit format over detection', () => {
    const parsed = parseCaptionSource(Buffer.from('image,caption\na.jpg,x\n'), 'anything.txt', { format: 'csv' });
    assert.equal(parsed.format, 'csv');
    assert.deepEqual(parsed.records, [{ image: 'a.jpg', caption: 'x', index: 0, line: 2 }]);
  });
});
