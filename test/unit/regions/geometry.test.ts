import { strict as assert } from 'node:assert';
import { BinaryMask, maskArea, maskBounds, resizeMask } from '../../../src/core/regions/binaryMask';
import { countsFromString, countsToString, decodeRle, encodeRle, MAX_RLE_RUNS, maskRuns, RleError, rleExtent } from '../../../src/core/regions/cocoRle';
import { rasterizeBox, rasterizePolygon, regionMask } from '../../../src/core/regions/rasterize';
import { boxFromCorners, clipRegion, validateRegionShape } from '../../../src/core/regions/regionShapes';
import type { Region } from '../../../src/core/regions/regionsSidecar';

/** A mask from rows of '#' (inside) and '.' (outside). */
function mask(...rows: string[]): BinaryMask {
  const width = rows[0].length;
  return { width, height: rows.length, data: Uint8Array.from([...rows.join('')].map((c) => (c === '#' ? 1 : 0))) };
}

function rows(m: BinaryMask): string[] {
  const out: string[] = [];
  for (let y = 0; y < m.height; y++) out.push([...m.data.subarray(y * m.width, (y + 1) * m.width)].map((v) => (v ? '#' : '.')).join(''));
  return out;
}

const base = { id: 'r', description: '', model: 'm', updated: '' };

describe('COCO RLE', () => {
  it('counts runs column by column, starting with a run of 0', () => {
    // columns: [.,#,#] [.,.,#] → runs 1 zero, 2 ones, 2 zeros, 1 one
    assert.deepEqual(maskRuns(mask('..', '#.', '##')), [1, 2, 2, 1]);
    assert.deepEqual(maskRuns(mask('#.', '..')), [0, 1, 3], 'a mask starting inside begins with an empty run of 0');
    assert.deepEqual(maskRuns(mask('...', '.#.', '...')), [4, 1, 4]);
  });

  it('writes the compressed string form as pycocotools does (hand-checked)', () => {
    assert.equal(countsToString([4, 1, 4]), '414');
    assert.equal(countsToString([100]), 'T3', '100 = 4 + 3*32: a continued character then the rest');
    assert.equal(countsToString([0, 10, 2, 3]), '0:2I', 'the 4th run is stored as its difference to the 2nd: 3 - 10 = -7 → "I"');
    assert.deepEqual(countsFromString('0:2I'), [0, 10, 2, 3]);
    assert.deepEqual(countsFromString('T3'), [100]);
  });

  it('round-trips masks of many shapes through both forms', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const [w, h] of [[1, 1], [3, 5], [17, 9], [64, 48]]) {
      for (let trial = 0; trial < 5; trial++) {
        const m: BinaryMask = { width: w, height: h, data: Uint8Array.from({ length: w * h }, () => (random() < 0.3 + trial * 0.1 ? 1 : 0)) };
        const rle = encodeRle(m);
        assert.deepEqual(rle.size, [h, w]);
        assert.deepEqual(rows(decodeRle(rle)), rows(m));
        assert.deepEqual(rows(decodeRle({ size: rle.size, counts: maskRuns(m) })), rows(m), 'the uncompressed list form');
      }
    }
  });

  it('measures a mask from its runs alone, as the decoded mask measures (area and box)', () => {
    let seed = 11;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const [w, h] of [[1, 1], [5, 3], [13, 17], [40, 30]]) {
      for (let trial = 0; trial < 8; trial++) {
        // sparse blobs and dense noise alike, empty masks included
        const p = [0, 0.02, 0.1, 0.5, 0.9, 1, 0.05, 0.3][trial];
        const m: BinaryMask = { width: w, height: h, data: Uint8Array.from({ length: w * h }, () => (random() < p ? 1 : 0)) };
        const extent = rleExtent(encodeRle(m));
        assert.equal(extent.area, maskArea(m), `${w}x${h} p=${p}`);
        assert.deepEqual(extent.bounds, maskBounds(m), `${w}x${h} p=${p}`);
      }
    }
  });

  it('refuses a mask larger than an image may be, or with more runs than any outline has, before allocating it', () => {
    const started = Date.now();
    assert.throws(() => decodeRle({ size: [100_000, 100_000], counts: [1e10] }), (e: Error) => e instanceof RleError && /larger than a mask may be/.test(e.message));
    assert.throws(() => rleExtent({ size: [100_000, 100_000], counts: '' }), /larger than a mask may be/);
    assert.throws(() => rleExtent({ size: [10, 10], counts: '1'.repeat(MAX_RLE_RUNS * 2 + 1) }), /more runs than a mask may have/);
    assert.ok(Date.now() - started < 2000, 'refused at once');
  });

  it('refuses counts that do not describe the mask, saying what is wrong', () => {
    assert.throws(() => decodeRle({ size: [2, 2], counts: [1, 2] }), (e: Error) => e instanceof RleError && /cover 3 pixels, but a 2x2 mask has 4/.test(e.message));
    assert.throws(() => decodeRle({ size: [2, 2], counts: '4 ' }), (e: Error) => e instanceof RleError && /outside the RLE alphabet at 2/.test(e.message));
    assert.throws(() => decodeRle({ size: [2, 2], counts: 'T' }), /ends in the middle of a number/);
    assert.throws(() => decodeRle({ size: [2, -1] as unknown as [number, number], counts: [] }), /"size" is not \[height, width\]/);
    assert.throws(() => decodeRle({ size: [1, 3], counts: [1, 'x'] as unknown as number[] }), /neither a string nor a list/);
  });
});

describe('rasterizing regions', () => {
  it('fills a box by pixel centres', () => {
    assert.deepEqual(rows(rasterizeBox([0.25, 0.25, 0.5, 0.5], 4, 4)), ['....', '.##.', '.##.', '....']);
    assert.deepEqual(rows(rasterizeBox([0.9, 0, 0.5, 1], 4, 2)), ['....', '....'], 'a box beyond the right edge fills nothing and never wraps into the next row');
    assert.deepEqual(rows(rasterizeBox([-1, 0, 1.5, 0.5], 4, 2)), ['##..', '....']);
  });

  it('fills a triangle and a square polygon (hand-checked)', () => {
    assert.deepEqual(rows(rasterizePolygon([[0, 0], [1, 0], [0, 1]], 4, 4)), ['###.', '##..', '#...', '....']);
    assert.deepEqual(rows(rasterizePolygon([[0.25, 0.25], [0.75, 0.25], [0.75, 0.75], [0.25, 0.75]], 4, 4)), rows(rasterizeBox([0.25, 0.25, 0.5, 0.5], 4, 4)));
  });

  it('leaves the overlap of a self-crossing outline out (even-odd)', () => {
    // two squares drawn as one outline that goes around the inner one twice
    const ring: Array<[number, number]> = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0], [0.25, 0.25], [0.25, 0.75], [0.75, 0.75], [0.75, 0.25], [0.25, 0.25]];
    assert.deepEqual(rows(rasterizePolygon(ring, 4, 4)), ['####', '#..#', '#..#', '####']);
  });

  it('draws a mask saved at another size scaled to the image (an image resized on disk)', () => {
    const small = mask('#.', '..');
    const region: Region = { ...base, kind: 'mask', bbox: [0, 0, 0.5, 0.5], rle: encodeRle(small) };
    assert.deepEqual(rows(regionMask(region, 4, 4)), ['##..', '##..', '....', '....']);
    assert.deepEqual(rows(resizeMask(mask('##..', '##..', '....', '....'), 2, 2)), ['#.', '..']);
  });

  it('measures masks', () => {
    const m = mask('....', '.##.', '.#..', '....');
    assert.equal(maskArea(m), 3);
    assert.deepEqual(maskBounds(m), [0.25, 0.25, 0.5, 0.5]);
    assert.equal(maskBounds(mask('..', '..')), undefined);
  });
});

describe('region shapes: clipped into the image, degenerate ones refused', () => {
  it('clips boxes and polygons into 0..1 and fits a polygon its box', () => {
    assert.deepEqual(clipRegion({ ...base, kind: 'box', bbox: [-0.2, 0.5, 0.5, 0.8] }).bbox, [0, 0.5, 0.3, 0.5]);
    const poly = clipRegion({ ...base, kind: 'polygon', bbox: [0, 0, 9, 9], points: [[-1, 0.5], [0.5, -1], [0.75, 0.75]] });
    assert.deepEqual(poly.points, [[0, 0.5], [0.5, 0], [0.75, 0.75]]);
    assert.deepEqual(poly.bbox, [0, 0, 0.75, 0.75]);
    assert.deepEqual(boxFromCorners([0.8, 0.9], [0.2, 0.1]), [0.2, 0.1, 0.6, 0.8]);
  });

  it('gives a mask the box of its pixels', () => {
    const region = clipRegion({ ...base, kind: 'mask', bbox: [0, 0, 1, 1], rle: encodeRle(mask('....', '..#.', '....', '....')) });
    assert.deepEqual(region.bbox, [0.5, 0.25, 0.25, 0.25]);
  });

  it('refuses what has no area, with the reason', () => {
    assert.equal(validateRegionShape({ ...base, kind: 'box', bbox: [0.1, 0.1, 0.3, 0.2] }), undefined);
    assert.match(validateRegionShape({ ...base, kind: 'box', bbox: [0.1, 0.1, 0, 0.2] }) ?? '', /zero area/);
    assert.match(validateRegionShape({ ...base, kind: 'box', bbox: [1.5, 0.1, 0.3, 0.2] }) ?? '', /zero area \(or lies outside the image\)/);
    assert.match(validateRegionShape({ ...base, kind: 'polygon', bbox: [0, 0, 1, 1], points: [[0, 0], [1, 1]] }) ?? '', /at least 3 points/);
    assert.match(validateRegionShape({ ...base, kind: 'polygon', bbox: [0, 0, 1, 1], points: [[0, 0], [1, 1], [0, 0]] }) ?? '', /at least 3 points/, 'repeated points count once');
    assert.match(validateRegionShape({ ...base, kind: 'polygon', bbox: [0, 0, 1, 1], points: [[0, 0], [0.5, 0.5], [1, 1]] }) ?? '', /zero area/);
    assert.match(validateRegionShape({ ...base, kind: 'mask', bbox: [0, 0, 1, 1], rle: encodeRle(mask('..', '..')) }) ?? '', /the mask is empty/);
    assert.match(validateRegionShape({ ...base, kind: 'mask', bbox: [0, 0, 1, 1], rle: { size: [2, 2], counts: [9] } }) ?? '', /cannot be decoded: its runs cover 9 pixels/);
    assert.match(validateRegionShape({ ...base, kind: 'circle' as 'box', bbox: [0, 0, 1, 1] }) ?? '', /kind "circle"/);
    assert.match(validateRegionShape({ ...base, kind: 'box', bbox: [0, 0, 'x', 1] as unknown as [number, number, number, number] }) ?? '', /four numbers/);
  });
});
