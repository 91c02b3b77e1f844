import * as assert from 'node:assert/strict';
import { packTexts, unpackTexts } from '../../../src/webviews/protocol/packedTexts';

describe('Packed texts (the Explore layout message)', () => {
  it('round-trips any text: empty, ASCII, accents, CJK, emoji, newlines and NUL', async () => {
    const texts = ['', 'a dog', 'café crème', '猫が座っている', 'a 🐕 and a 🐈‍⬛', 'line\nbreak\ttab', 'nul\0inside', ''];
    const packed = await packTexts(texts);
    assert.deepEqual(unpackTexts(packed), texts);
    assert.equal(packed.bytes.length, Buffer.byteLength(texts.join(''), 'utf8'));
  });

  it('a lone surrogate becomes U+FFFD and the texts after it keep their places', async () => {
    const texts = ['bad \ud800 half', 'next', 'end \udc00'];
    assert.deepEqual(unpackTexts(await packTexts(texts)), ['bad \ufffd half', 'next', 'end \ufffd']);
  });

  it('100,000 captions pack in slices: no event-loop turn is long, and all come back', async () => {
    const texts = Array.from({ length: 100_000 }, (_, i) => `caption ${i}: a photo of a dog on a beach, golden hour, ${'ü'.repeat(i % 7)}`);
    let longest = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 1);
    const packed = await packTexts(texts);
    clearInterval(timer);
    assert.deepEqual(unpackTexts(packed), texts);
    assert.ok(longest < 40, `the longest turn took ${longest.toFixed(1)} ms`);
  });
});
