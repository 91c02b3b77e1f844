import { strict as assert } from 'node:assert';
import sharp from 'sharp';
import { dHashOfPixels, differenceHash } from '../../../src/core/images/perceptualHash';
import { hammingNeighbours } from '../../../src/core/lint/hammingNeighbours';

/** A 64x48 RGB gradient with a bright square at (x, y). */
function picture(x: number, y: number): Promise<Buffer> {
  const pixels = Buffer.alloc(64 * 48 * 3);
  for (let r = 0; r < 48; r++) {
    for (let c = 0; c < 64; c++) {
      const inSquare = c >= x && c < x + 16 && r >= y && r < y + 16;
      pixels.fill(inSquare ? 250 : (c * 3 + r) % 200, (r * 64 + c) * 3, (r * 64 + c) * 3 + 3);
    }
  }
  return sharp(pixels, { raw: { width: 64, height: 48, channels: 3 } }).png().toBuffer();
}

describe('perceptual hash (dHash)', () => {
  it('sets a bit where a pixel is brighter than its right neighbour, first bit most significant', () => {
    const pixels = new Uint8Array(72);
    pixels[0] = 9; // row 0: pixel 0 > pixel 1 -> top bit
    pixels[9 * 7 + 7] = 5; // row 7: pixel 7 > pixel 8 -> bottom bit
    assert.equal(dHashOfPixels(pixels), (1n << 63n) | 1n);
  });

  it('a re-encoded image stays within a few bits; a different one does not', async () => {
    const a = await picture(8, 8);
    const reencoded = await sharp(a).jpeg({ quality: 60 }).toBuffer();
    const other = await picture(40, 24);
    const hashes = [await differenceHash(a), await differenceHash(reencoded), await differenceHash(other)];
    assert.deepEqual(hammingNeighbours(hashes, 4).map((p) => [p.i, p.j]), [[0, 1]]);
  });
});
