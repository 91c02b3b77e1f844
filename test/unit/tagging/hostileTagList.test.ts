import { strict as assert } from 'node:assert';
import { parseBooruTagList } from '../../../src/core/tagging/booruTagList';

/** The bytes of a stranger's booru tag list, decoded as the tag-complete thread decodes them (UTF-8, replacing what is not). */
const decoded = (bytes: Buffer): string => bytes.toString('utf8');

describe('booru tag list from a hostile file', () => {
  it('leaves out rows that are not UTF-8 (counted, with the first line) instead of proposing tags with U+FFFD', () => {
    const bytes = Buffer.concat([Buffer.from('1girl,0,100,\n'), Buffer.from('caf\xe9,0,50,\n', 'latin1'), Buffer.from('smile,0,40,"na\xefve"\n', 'latin1'), Buffer.from('solo,0,30,\n')]);
    const list = parseBooruTagList(decoded(bytes), 'tags.csv');
    assert.deepEqual(list.tags.map((t) => t.name), ['1girl', 'solo']);
    assert.equal(list.skipped, 2);
    assert.equal(list.firstSkippedLine, 2);
    assert.ok(list.tags.every((t) => !t.name.includes('\ufffd') && t.aliases.every((a) => !a.includes('\ufffd'))));
  });

  it('reads a BOM, CRLF, quoted commas and a header alike, and skips NUL-bearing and blank-name rows', () => {
    const text = '\ufeffname,category,count,aliases\r\n"red, hair",0,10,"a,b"\r\n,0,5,\r\nbad\0tag,0,3,\r\nok,1,2,\r\n';
    const list = parseBooruTagList(text, 'tags.csv');
    assert.deepEqual(list.tags.map((t) => [t.name, t.aliases]), [['red, hair', ['a', 'b']], ['ok', []]]);
    assert.equal(list.skipped, 3);
    assert.equal(list.firstSkippedLine, 1);
  });
});
