import { strict as assert } from 'node:assert';
import { ImportFormat, ImportParseError } from '../../../src/core/import/importTypes';
import { parseCaptionSource } from '../../../src/core/import/parseCaptionSource';
import { flickrCsv } from './importFixtures';

/** Parses and returns the error's message; fails when nothing is thrown. */
function errorOf(content: string | Uint8Array, name: string, format?: ImportFormat, columns = {}): ImportParseError {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  try {
    parseCaptionSource(bytes, name, { format, columns });
  } catch (err) {
    assert.ok(err instanceof ImportParseError, `expected ImportParseError, got ${String(err)}`);
    return err;
  }
  assert.fail(`${name} was accepted`);
}

describe('import: malformed input is refused with the line and the problem', () => {
  it('names the line where an unterminated quote opens, not the line where parsing gave up', () => {
    const lines = flickrCsv().split('\n');
    lines[11] = '1002674143_1b742ab4b8.jpg,"A little girl, never closed';
    const err = errorOf(lines.join('\n'), 'captions.txt');
    assert.equal(err.message,
      'captions.txt, line 12: unterminated quote: the quoted field opened in this row runs on to line 16; close it, or write a quote inside it as ""');
    assert.equal(err.line, 12);
  });

  it('names the line of a quote still open at the end of the file', () => {
    const text = 'image,caption\na.jpg,fine\n\nb.jpg,"never closed\nc.jpg,more\n';
    assert.equal(errorOf(text, 'captions.txt').message,
      'captions.txt, line 4: unterminated quote: a quoted field opened in this row is never closed');
  });

  it('says where text follows a closing quote and where a quote sits inside an unquoted field', () => {
    assert.equal(errorOf('image,caption\na.jpg,"x" y\n', 'c.txt').message,
      'c.txt, line 2: text after a closing quote; write a quote inside a quoted field as ""');
    assert.equal(errorOf('file_name,text\na.jpg,ok\nb.jpg,say "hi"\n', 'm.csv').message,
      'm.csv, line 3: a quote inside an unquoted field; quote the whole field and double the inner quote ("")');
  });

  it('names a configured column that the header lacks, listing the columns there are', () => {
    const err = errorOf('image,text\na.jpg,x\n', 'set.csv', 'csv', { captionColumn: 'caption' });
    assert.equal(err.message, 'set.csv, line 1: missing column "caption" (columns: "image", "text")');
  });

  it('says which common names it looked for when no caption column is found', () => {
    assert.equal(errorOf('file_name,width\na.jpg,4\n', 'm.csv', 'csv').message,
      'm.csv, line 1: no caption column found (columns: "file_name", "width"); name it text, caption, label, captions, comment, description, or choose the caption column');
  });

  it('names a short row and the column it lacks', () => {
    assert.equal(errorOf('id,file_name,text\n1,a.jpg,x\n2,b.jpg\n', 'm.csv').message,
      'm.csv, line 3: row has 2 field(s); column "text" is field 3');
    assert.equal(errorOf('image,caption\na.jpg,x\nb.jpg\n', 'captions.txt').message,
      'captions.txt, line 3: expected "image,caption", found one field');
  });

  it('refuses a Flickr CSV whose header is not image,caption', () => {
    assert.equal(errorOf('img,cap\na.jpg,x\n', 'captions.txt', 'flickr-csv').message,
      'captions.txt, line 1: expected the header "image,caption", found "img,cap"');
  });

  it('names the token line that lacks #n or a tab', () => {
    assert.equal(errorOf('a.jpg#0\tfine\nb.jpg no index here\n', 'Flickr8k.token.txt', 'flickr-token').message,
      'Flickr8k.token.txt, line 2: expected "<image>#<n><TAB><caption>", found "b.jpg no index here"');
  });

  it('gives a JSONL parse error its line, column and position within the line', () => {
    const err = errorOf('{"file_name":"a.jpg","text":"x"}\n{"file_name":"b.jpg","text":"y",}\n', 'm.jsonl');
    assert.equal(err.message, "m.jsonl, line 2, column 33: JSON parse error: unexpected '}' (position 32)");
    assert.deepEqual([err.line, err.column], [2, 33]);
  });

  it('locates an error V8 reports without a position, and the end of a truncated COCO file', () => {
    const bad = '{\n  "images": [{"id": 1, "file_name": "a.jpg"}],\n  "annotations": [{"image_id": 1, "caption": x}]\n}';
    assert.equal(errorOf(bad, 'c.json').message,
      "c.json, line 3, column 46: JSON parse error: unexpected character 'x' (position 94)");
    const cut = '{"images": [{"id": 1, "file_name": "a.jpg"}], "annotations": [';
    assert.equal(errorOf(cut, 'c.json').message, "c.json, line 1, column 63: JSON parse error: the text ends before the JSON value is complete (is the file cut off?) (position 62)");
  });

  it('falls back to V8\'s position for a control character inside a string', () => {
    const err = errorOf('{"file_name":"a.jpg","text":"tab\there"}\n', 'm.jsonl');
    assert.equal(err.message, 'm.jsonl, line 1, column 33: JSON parse error: Bad control character in string literal (position 32)');
  });

  it('explains COCO structure problems: missing arrays, unknown image_id, non-string caption', () => {
    assert.equal(errorOf('{"images": []}', 'c.json').message,
      'c.json: not COCO captions: "annotations" must be an array (it is missing)');
    assert.equal(errorOf('{"images":[{"id":1,"file_name":"a.jpg"}],"annotations":[{"image_id":2,"caption":"x"}]}', 'c.json').message,
      'c.json: annotations[0] refers to image_id 2, which is not in "images"');
    assert.equal(errorOf('{"images":[{"id":1,"file_name":"a.jpg"}],"annotations":[{"image_id":1,"caption":7}]}', 'c.json').message,
      'c.json: annotations[0] has "caption" a number, expected a string');
  });

  it('names the JSONL key that is missing or of the wrong type', () => {
    assert.equal(errorOf('{"file_name":"a.jpg","text":"x"}\n{"text":"y"}\n', 'm.jsonl').message,
      'm.jsonl, line 2: "file_name" is missing, expected a file name');
    assert.equal(errorOf('{"file_name":"a.jpg","text":{"en":"x"}}\n', 'm.jsonl').message,
      'm.jsonl, line 1: "text" is an object, expected a string or an array of strings');
    assert.equal(errorOf('[1,2]\n', 'm.jsonl').message, 'm.jsonl, line 1: expected one JSON object per line, found an array');
  });

  it('refuses Latin-1 bytes, naming the byte, its offset and its line', () => {
    const bytes = Buffer.concat([Buffer.from('image,caption\na.jpg,un caf'), Buffer.from([0xe9]), Buffer.from(' .\n')]);
    assert.equal(errorOf(bytes, 'captions.txt').message,
      'captions.txt, line 2: is not UTF-8 text (byte 0xe9 at offset 26); convert it to UTF-8 and import again');
  });

  it('refuses UTF-16 and binary files, and lets a literal U+FFFD through', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('image,caption\n', 'utf16le')]);
    assert.match(errorOf(utf16, 'captions.txt').message, /^captions\.txt: is UTF-16 \(byte order mark found\); save it as UTF-8/);
    assert.equal(errorOf(Buffer.from('image,caption\na.jpg,\0\0\n'), 'captions.txt').message,
      'captions.txt, line 2: contains NUL bytes and looks binary, not a caption file');
    const replacement = parseCaptionSource(Buffer.from('image,caption\na.jpg,odd \uFFFD sign\n'), 'captions.txt');
    assert.equal(replacement.records[0].caption, 'odd \uFFFD sign');
  });

  it('refuses a file whose format cannot be told', () => {
    assert.equal(errorOf('hello there\n', 'notes.txt').message,
      'notes.txt: cannot tell its format; choose one of flickr-csv, flickr-token, coco-json, csv, jsonl');
  });
});
