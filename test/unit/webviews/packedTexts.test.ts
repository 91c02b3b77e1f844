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

  it('100,000 captions pack in slices: no event-loop turn reads more than 5,000 of them, and all come back', async () => {
    const texts = Array.from({ length: 100_000 }, (_, i) => `caption ${i}: a photo of a dog on a beach, golden hour, ${'ü'.repeat(i % 7)}`);
    // Counted, not timed (a loaded machine stretches any turn): captions read per turn, where a timer
    // that re-arms itself marks each turn the packer gave back.
    let readThisTurn = 0;
    let mostInATurn = 0;
    let turnsGivenBack = 0;
    const counted = new Proxy(texts, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) readThisTurn++;
        return Reflect.get(target, key, receiver);
      },
    });
    let ticking = true;
    const tick = (): void => {
      mostInATurn = Math.max(mostInATurn, readThisTurn);
      if (readThisTurn > 0) turnsGivenBack++;
      readThisTurn = 0;
      if (ticking) setTimeout(tick, 0);
    };
    setTimeout(tick, 0);
    const packed = await packTexts(counted);
    ticking = false;
    tick();
    assert.deepEqual(unpackTexts(packed), texts);
    assert.ok(mostInATurn <= 5000, `${mostInATurn} captions read in one turn`);
    assert.ok(turnsGivenBack >= 100_000 / 5000, `the packer read captions in ${turnsGivenBack} turns`);
  });
});
