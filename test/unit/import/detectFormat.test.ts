import { strict as assert } from 'node:assert';
import { detectFormat } from '../../../src/core/import/detectFormat';
import { cocoJson, flickrCsv, flickrToken } from './importFixtures';

describe('import detectFormat: which parser a file needs', () => {
  const cases: ReadonlyArray<readonly [string, string, string, string | undefined]> = [
    ['Flickr8k captions.txt by its header', 'captions.txt', flickrCsv(), 'flickr-csv'],
    ['the Flickr header quoted and with CRLF', 'captions.csv', '"image","caption"\r\na.jpg,x\r\n', 'flickr-csv'],
    ['Flickr8k.token.txt by its image#n<TAB> lines', 'Flickr8k.token.txt', flickrToken(), 'flickr-token'],
    ['Flickr30k token lines under any name', 'results_20130124.token', '1000092795.jpg#0\tTwo young guys .\n', 'flickr-token'],
    ['COCO JSON on one long line', 'captions_val2014.json', cocoJson(), 'coco-json'],
    ['COCO JSON cut off after the first bytes', 'c.json', cocoJson().slice(0, 120), 'coco-json'],
    ['pretty-printed COCO JSON', 'c.txt', JSON.stringify(JSON.parse(cocoJson()), null, 2).slice(0, 300), 'coco-json'],
    ['JSONL by extension', 'metadata.jsonl', '{"file_name":"a.jpg","text":"x"}\n', 'jsonl'],
    ['JSONL by content under .json', 'meta.json', '{"file_name":"a.jpg","text":"x"}\n{"file_name":"b.jpg","text":"y"}\n', 'jsonl'],
    ['NDJSON', 'rows.ndjson', '{"image":"a.jpg","caption":"x"}\n', 'jsonl'],
    ['a generic CSV', 'metadata.csv', 'file_name,text\na.jpg,x\n', 'csv'],
    ['a tab-separated table under .txt', 'list.txt', 'path\tlabel\na.jpg\tx\n', 'csv'],
    ['plain prose', 'notes.txt', 'just some words\n', undefined],
    ['an empty file', 'empty.txt', '', undefined],
  ];
  for (const [what, name, content, expected] of cases) {
    it(`detects ${what} as ${expected ?? 'unknown'}`, () => {
      assert.equal(detectFormat(name, Buffer.from(content)), expected);
    });
  }

  it('accepts a string as well as bytes, and ignores a BOM', () => {
    assert.equal(detectFormat('x.txt', '\uFEFFimage,caption\n'), 'flickr-csv');
    assert.equal(detectFormat('x.txt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a.jpg#0\tx\n')])), 'flickr-token');
  });
});
