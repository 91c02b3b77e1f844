import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CaptionEncodingError, DEFAULT_FORMAT, decodeCaption, encodeCaption } from '../../src/core/captions/captionCodec';
import { CaptionTooLargeError, MAX_CAPTION_BYTES, readCaption, writeCaption } from '../../src/core/captions/captionStore';
import { DatasetBoundary } from '../../src/core/files/datasetBoundary';
import { TempDirs } from './helpers/tempTree';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');

describe('caption codec and store', () => {
  const temp = new TempDirs();
  let dir: string;
  let boundary: DatasetBoundary;
  beforeEach(async () => {
    dir = await temp.make();
    boundary = DatasetBoundary.atSync(dir);
  });
  afterEach(() => temp.cleanup());

  async function fileWith(name: string, bytes: Uint8Array): Promise<string> {
    const file = path.join(dir, name);
    await fs.promises.writeFile(file, bytes);
    return file;
  }

  it('reads UTF-8 with a BOM without the BOM and keeps the BOM on write', async () => {
    const file = await fileWith('a.txt', Buffer.concat([BOM, utf8('une légende')]));
    const read = await readCaption(file, boundary);
    assert.equal(read?.text, 'une légende');
    assert.deepEqual(read?.format, { bom: true, eol: '\n' });
    await writeCaption(file, 'nouvelle légende', boundary);
    assert.deepEqual(await fs.promises.readFile(file), Buffer.concat([BOM, utf8('nouvelle légende')]));
  });

  it('reads CRLF text with \\n and writes it back with \\r\\n', async () => {
    const file = await fileWith('a.txt', utf8('line one\r\nline two\r\n'));
    const read = await readCaption(file, boundary);
    assert.equal(read?.text, 'line one\nline two\n');
    assert.equal(read?.format.eol, '\r\n');
    await writeCaption(file, 'first\nsecond\nthird', boundary);
    assert.equal(await fs.promises.readFile(file, 'latin1'), 'first\r\nsecond\r\nthird');
  });

  it('keeps LF for an LF file even when the new text has CRLF', async () => {
    const file = await fileWith('a.txt', utf8('one\ntwo'));
    await writeCaption(file, 'x\r\ny', boundary);
    assert.equal(await fs.promises.readFile(file, 'latin1'), 'x\ny');
  });

  it('writes a new file as LF without BOM', async () => {
    const file = path.join(dir, 'new.txt');
    await writeCaption(file, 'a 🐱 on\na mat', boundary);
    assert.deepEqual(await fs.promises.readFile(file), utf8('a 🐱 on\na mat'));
  });

  it('encodes with an explicit format and decodes it back', () => {
    const bytes = encodeCaption('a\nb', { bom: true, eol: '\r\n' });
    assert.deepEqual(bytes, Buffer.concat([BOM, utf8('a\r\nb')]));
    assert.deepEqual(decodeCaption(bytes), { text: 'a\nb', format: { bom: true, eol: '\r\n' } });
    assert.deepEqual(encodeCaption('a\r\nb', DEFAULT_FORMAT), utf8('a\nb'));
  });

  it('refuses latin-1 bytes with an error naming the file and the offset', async () => {
    const file = await fileWith('latin.txt', Buffer.from('caf\xe9 au lait', 'latin1'));
    await assert.rejects(readCaption(file, boundary), (err: unknown) => {
      assert.ok(err instanceof CaptionEncodingError, String(err));
      assert.equal(err.file, file);
      assert.ok(err.message.includes(file), err.message);
      assert.match(err.message, /0xe9 at offset 3\b/);
      return true;
    });
  });

  it('counts the BOM in the offset of an invalid byte', () => {
    const bytes = Buffer.concat([BOM, utf8('ab'), Buffer.from([0xe9])]);
    assert.throws(() => decodeCaption(bytes, 'x.txt'), /x\.txt.*offset 5\b/);
  });

  it('names the offset of the first invalid byte for an encoded surrogate (ED A0 80)', () => {
    const bytes = Buffer.concat([utf8('ab'), Buffer.from([0xed, 0xa0, 0x80]), utf8('cd')]);
    assert.throws(() => decodeCaption(bytes, 'x.txt'), CaptionEncodingError);
    assert.throws(() => decodeCaption(bytes, 'x.txt'), /offset 2\b/);
  });

  it('never overwrites a non-UTF-8 file', async () => {
    const original = Buffer.from('caf\xe9\r\n', 'latin1');
    const file = await fileWith('latin.txt', original);
    await assert.rejects(writeCaption(file, 'replacement', boundary), CaptionEncodingError);
    assert.deepEqual(await fs.promises.readFile(file), original);
    assert.deepEqual(await fs.promises.readdir(dir), ['latin.txt']);
  });

  it('never overwrites a non-UTF-8 file, even when a format is given', async () => {
    const original = Buffer.from('caf\xe9', 'latin1');
    const file = await fileWith('latin.txt', original);
    await assert.rejects(writeCaption(file, 'replacement', boundary, DEFAULT_FORMAT), CaptionEncodingError);
    assert.deepEqual(await fs.promises.readFile(file), original);
  });

  it('refuses UTF-16 files by their BOM, both byte orders', async () => {
    const le = await fileWith('le.txt', Buffer.from([0xff, 0xfe, 0x61, 0x00]));
    const be = await fileWith('be.txt', Buffer.from([0xfe, 0xff, 0x00, 0x61]));
    await assert.rejects(readCaption(le, boundary), (e: unknown) => e instanceof CaptionEncodingError && /UTF-16/.test(e.message));
    await assert.rejects(readCaption(be, boundary), (e: unknown) => e instanceof CaptionEncodingError && /UTF-16/.test(e.message));
    await assert.rejects(writeCaption(le, 'x', boundary), CaptionEncodingError);
    assert.deepEqual(await fs.promises.readFile(le), Buffer.from([0xff, 0xfe, 0x61, 0x00]));
  });

  it('refuses NUL bytes as binary', async () => {
    const file = await fileWith('bin.txt', Buffer.from([0x61, 0x00, 0x62]));
    await assert.rejects(readCaption(file, boundary), (e: unknown) => e instanceof CaptionEncodingError && /NUL/.test(e.message));
  });

  it('refuses a file over 8 MB with CaptionTooLargeError and leaves it alone', async () => {
    assert.equal(MAX_CAPTION_BYTES, 8 * 1024 * 1024);
    const file = await fileWith('big.txt', utf8('start'));
    await fs.promises.truncate(file, MAX_CAPTION_BYTES + 1); // sparse
    await assert.rejects(readCaption(file, boundary), (e: unknown) => {
      assert.ok(e instanceof CaptionTooLargeError, String(e));
      assert.ok(e.message.includes(file));
      assert.equal(e.file, file);
      return true;
    });
    await assert.rejects(writeCaption(file, 'short', boundary), CaptionTooLargeError);
    const after = await fs.promises.stat(file);
    assert.equal(after.size, MAX_CAPTION_BYTES + 1);
    const head = Buffer.alloc(5);
    const fd = await fs.promises.open(file, 'r');
    await fd.read(head, 0, 5, 0);
    await fd.close();
    assert.equal(head.toString(), 'start');
  });

  it('accepts exactly 8 MB (not too large; these zeros are refused as NUL instead)', async () => {
    const file = await fileWith('limit.txt', utf8(''));
    await fs.promises.truncate(file, MAX_CAPTION_BYTES);
    await assert.rejects(readCaption(file, boundary), (e: unknown) => e instanceof CaptionEncodingError);
  });

  it('gives undefined for a missing file', async () => {
    assert.equal(await readCaption(path.join(dir, 'missing.txt'), boundary), undefined);
  });

  it('reads an empty file as empty text', async () => {
    const file = await fileWith('empty.txt', Buffer.alloc(0));
    assert.deepEqual(await readCaption(file, boundary), { text: '', format: DEFAULT_FORMAT });
  });
});
