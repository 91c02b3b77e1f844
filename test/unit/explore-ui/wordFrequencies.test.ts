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

  it('never holds the thread much longer than a slice for 100,000 captions, and stops when aborted', async () => {
    const texts = captions(100_000);
    const all = Int32Array.from(texts.keys());
    const slices: number[] = [];
    let last = performance.now();
    const pause = async () => {
      slices.push(performance.now() - last);
      await immediate();
      last = performance.now();
    };
    const started = performance.now();
    const result = await countWordsInSlices(texts, all, new Set(['a']), 300, { sliceMs: 8, now: () => performance.now(), pause });
    const total = performance.now() - started;
    slices.push(performance.now() - last);
    assert.deepEqual(result.table[0], { word: 'and', count: 100_000 }, '"and" (like "photo", "of", …) once per caption');
    slices.sort((a, b) => a - b);
    const p95 = slices[Math.floor(slices.length * 0.95)];
    // A slice ends within 64 captions of 8 ms; the p95 leaves room for GC and a shared CPU.
    assert.ok(slices.length >= 5, `${slices.length} slices`);
    assert.ok(p95 < 25, `p95 slice ${p95.toFixed(1)} ms`);
    console.log(`      100,000 captions counted in ${total.toFixed(0)} ms in ${slices.length} slices: p95 ${p95.toFixed(1)} ms, longest ${slices[slices.length - 1].toFixed(1)} ms`);

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
