import * as assert from 'node:assert/strict';
import { wordCounts } from '../../../src/core/analytics/wordCounts';
import { imageSrc } from '../../../src/webviews/ui/explore/imageSrc';
import { countWordsInSlices, formatStopWords, parseStopWords } from '../../../src/webviews/ui/explore/wordFrequencies';

const WORDS = ['dog', 'cat', 'beach', 'red', 'car', 'street', 'ball', 'grass', 'tree', 'sky', 'sunset', 'person'];
function captions(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `a photo of a ${WORDS[i % 12]} and a ${WORDS[(i * 7) % 12]} near the ${WORDS[(i * 5 + 3) % 12]} number ${i % 100}`);
}
const immediate = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Explore panel: word frequencies in slices', () => {
  it('gives exactly the table wordCounts gives, for the group only, with the stop words left out', async () => {
    const texts = captions(2000);
    const group = Array.from({ length: 700 }, (_, j) => j * 2 + 1);
    const stop = new Set(['a', 'of', 'and', 'the', 'photo', 'near', 'number']);
    let pauses = 0;
    let clock = 0;
    const { table, distinct } = await countWordsInSlices(texts, group, stop, 5, {
      sliceMs: 1,
      now: () => clock++, // every clock check ends a slice
      pause: () => {
        pauses++;
        return immediate();
      },
    });
    const expected = wordCounts(group.map((i) => texts[i]), { stopWords: stop });
    assert.deepEqual(table, expected.slice(0, 5));
    assert.equal(distinct, expected.length);
    assert.ok(pauses >= 700 / 64 - 1, `gave the thread back ${pauses} times`);
    assert.ok(!table.some((w) => stop.has(w.word)));
  });

  it('never holds the thread more than 64 captions past its slice for 100,000 captions, and stops when aborted', async () => {
    const texts = captions(100_000);
    const all = Int32Array.from(texts.keys());
    // A clock that each caption read moves on by 0.01 ms: the slices are checked in captions, which
    // a loaded machine cannot stretch as it stretches milliseconds.
    let read = 0;
    const counted = new Proxy(texts, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) read++;
        return Reflect.get(target, key, receiver);
      },
    });
    const perSlice: number[] = [];
    let sliceStart = 0;
    const pause = async (): Promise<void> => {
      perSlice.push(read - sliceStart);
      await immediate();
      sliceStart = read;
    };
    const result = await countWordsInSlices(counted, all, new Set(['a']), 300, { sliceMs: 8, now: () => read * 0.01, pause });
    perSlice.push(read - sliceStart);
    assert.deepEqual(result.table[0], { word: 'and', count: 100_000 }, '"and" (like "photo", "of", …) once per caption');
    assert.equal(read, 100_000, 'each caption read once');
    // 8 ms of this clock is 800 captions; the clock is looked at every 64
    assert.ok(perSlice.length >= 100_000 / (800 + 64), `${perSlice.length} slices`);
    assert.ok(Math.max(...perSlice) <= 800 + 64, `a slice of ${Math.max(...perSlice)} captions`);

    const abort = new AbortController();
    const counting = countWordsInSlices(texts, all, new Set(), 10, { sliceMs: 1, now: () => performance.now(), pause: immediate, signal: abort.signal });
    abort.abort();
    await assert.rejects(counting, { name: 'AbortError' });
  });

  it('reads the stop-word field split on commas and spaces, lower-cased, without repeats', () => {
    assert.deepEqual(parseStopWords(' A, the\nphoto  of,, the '), ['a', 'the', 'photo', 'of']);
    assert.equal(formatStopWords(['a', 'the']), 'a, the');
  });

  it('encodes each part of an image path, keeping the slashes', () => {
    assert.equal(imageSrc('https://file+.vscode-resource/ds', 'sub dir/a#1%.jpg'), 'https://file+.vscode-resource/ds/sub%20dir/a%231%25.jpg');
    assert.equal(imageSrc('B', 'x/y/z.png'), 'B/x/y/z.png');
  });
});
