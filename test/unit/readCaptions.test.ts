import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { readCaptionSources } from '../../src/core/captions/readCaptions';
import { TempDirs, writeTree } from './helpers/tempTree';
import { DatasetBoundary } from '../../src/core/files/datasetBoundary';

describe('readCaptionSources', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  it('reads captions in order with "\\n" breaks, undefined for missing files, and reports unreadable ones', async () => {
    const dir = await temp.make();
    const big = `${'word '.repeat(14_000)}end\n`; // over the 64 KiB first read
    await writeTree(dir, {
      'crlf.txt': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('café 日本語\r\n🐱\r\n')]),
      'empty.txt': '',
      'latin1.txt': Buffer.from([0x63, 0x61, 0x66, 0xe9]),
      'big.txt': big,
    });
    const pairs = ['crlf', 'missing', 'empty', 'latin1', 'big'].map((stem) => ({ imagePath: path.join(dir, `${stem}.jpg`), captionPath: path.join(dir, `${stem}.txt`) }));
    const progress: number[] = [];
    const { sources, failures } = await readCaptionSources(pairs, DatasetBoundary.atSync(dir), { onProgress: (done) => progress.push(done) });
    assert.deepEqual(
      sources.map((s) => [path.basename(s.captionPath), s.text]),
      [['crlf.txt', 'café 日本語\n🐱\n'], ['missing.txt', undefined], ['empty.txt', ''], ['big.txt', big]],
    );
    assert.equal(sources[0].imagePath, pairs[0].imagePath);
    assert.deepEqual(failures.map((f) => path.basename(f.captionPath)), ['latin1.txt']);
    assert.match(failures[0].message, /not UTF-8 text \(byte 0xe9 at offset 3\)/);
    assert.equal(progress[progress.length - 1], 5);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(readCaptionSources([{ imagePath: '/x.jpg', captionPath: '/x.txt' }], DatasetBoundary.atSync('/'), { signal: controller.signal }), { name: 'AbortError' });
  });
});
