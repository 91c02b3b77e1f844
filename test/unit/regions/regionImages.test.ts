import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import sharp from 'sharp';
import { EmptyRegionError, focalImages, maskedRegionPng, outlinedOverview } from '../../../src/core/images/regionImages';
import { emptyMask } from '../../../src/core/regions/binaryMask';
import { encodeRle } from '../../../src/core/regions/cocoRle';
import { focalCropBox } from '../../../src/core/regions/focalCrop';
import { outlineOf } from '../../../src/core/regions/outline';
import { regionMask } from '../../../src/core/regions/rasterize';
import { regionMaskInWindow } from '../../../src/core/regions/regionWindow';
import type { Region } from '../../../src/core/regions/regionsSidecar';
import { TempDirs } from '../helpers/tempTree';

const GREY = 100;

function region(fields: Partial<Region> & Pick<Region, 'kind' | 'bbox'>): Region {
  return { id: 'r1', description: '', model: '', updated: '2026-11-26T00:00:00Z', ...fields };
}

/** Pixel (x, y) of an encoded image as [r, g, b]. */
async function pixelAt(data: Buffer, x: number, y: number): Promise<[number, number, number]> {
  const { data: raw, info } = await sharp(data).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return [raw[i], raw[i + 1], raw[i + 2]];
}

function isMagenta([r, g, b]: [number, number, number]): boolean {
  return r > 200 && g < 80 && b > 200;
}

function isGrey([r, g, b]: [number, number, number]): boolean {
  return [r, g, b].every((c) => Math.abs(c - GREY) < 16);
}

describe('region images: the focal crop, outlines, the masked PNG', () => {
  const temp = new TempDirs();
  let image: string;

  before(async () => {
    image = path.join(await temp.make(), 'scene.png');
    await sharp({ create: { width: 400, height: 300, channels: 3, background: { r: GREY, g: GREY, b: GREY } } }).png().toFile(image);
  });
  after(() => temp.cleanup());

  it('grows the box to 3x about its centre, at least 48 px, clipped to the image', () => {
    assert.deepEqual(focalCropBox([100, 90, 40, 60], 400, 300), [60, 30, 120, 180]);
    // a 10x4 box: each side at least 48 px
    assert.deepEqual(focalCropBox([200, 150, 10, 4], 400, 300), [181, 128, 48, 48]);
    // at the corner: clipped, not shifted
    assert.deepEqual(focalCropBox([0, 0, 40, 40], 400, 300), [0, 0, 80, 80]);
    // larger than the image when grown: the whole image
    assert.deepEqual(focalCropBox([50, 50, 300, 200], 400, 300), [0, 0, 400, 300]);
  });

  it('outlines the edge of a mask on both sides, and nothing far from it', () => {
    const mask = emptyMask(20, 20);
    for (let y = 5; y < 15; y++) mask.data.fill(1, y * 20 + 5, y * 20 + 15);
    const outline = outlineOf(mask, 3);
    const at = (x: number, y: number): number => outline.data[y * 20 + x];
    assert.equal(at(5, 10), 1, 'the edge pixel inside');
    assert.equal(at(4, 10), 1, 'one pixel outside the edge');
    assert.equal(at(6, 10), 1, 'one pixel inside the edge');
    assert.equal(at(3, 10), 0);
    assert.equal(at(10, 10), 0, 'the middle stays clear');
    assert.equal(at(14, 14), 1);
  });

  it('samples a window of a box, a polygon and a mask on the crop\'s own grid', () => {
    const box = region({ kind: 'box', bbox: [0.25, 0.5, 0.5, 0.25] });
    const inWindow = regionMaskInWindow(box, [0.25, 0.5, 0.5, 0.5], 4, 4);
    assert.deepEqual([...inWindow.data], [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    const square = regionMask(box, 8, 8);
    const asMask = region({ kind: 'mask', bbox: [0.25, 0.5, 0.5, 0.25], rle: encodeRle(square) });
    assert.deepEqual([...regionMaskInWindow(asMask, [0.25, 0.5, 0.5, 0.5], 4, 4).data], [...inWindow.data]);
    const polygon = region({ kind: 'polygon', bbox: [0.25, 0.5, 0.5, 0.25], points: [[0.25, 0.5], [0.75, 0.5], [0.75, 0.75], [0.25, 0.75]] });
    assert.deepEqual([...regionMaskInWindow(polygon, [0.25, 0.5, 0.5, 0.5], 4, 4).data], [...inWindow.data]);
  });

  it('sends DAM the picture as RGBA whose alpha is exactly the region\'s mask, even when the region is the whole picture', async () => {
    const polygon = region({ kind: 'polygon', bbox: [0.1, 0.1, 0.6, 0.7], points: [[0.1, 0.1], [0.7, 0.2], [0.3, 0.8]] });
    const png = await maskedRegionPng(image, polygon, { maxSide: 200 });
    const { data, info } = await sharp(png.data).raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([info.width, info.height, info.channels], [200, 150, 4]);
    const expected = regionMask(polygon, 200, 150);
    for (let i = 0; i < expected.data.length; i++) assert.equal(data[i * 4 + 3], expected.data[i] ? 255 : 0, `alpha of pixel ${i}`);
    assert.equal(data[0], GREY, 'the colour is the picture\'s');
    const whole = await maskedRegionPng(image, region({ kind: 'box', bbox: [0, 0, 1, 1] }), { maxSide: 100 });
    assert.equal((await sharp(whole.data).metadata()).channels, 4);
    await assert.rejects(maskedRegionPng(image, region({ kind: 'box', bbox: [0.5, 0.5, 0.0001, 0.0001] }), { maxSide: 100 }), EmptyRegionError);
  });

  it('focal prompting: the outlined picture and the outlined crop, the crop being the box grown 3x', async () => {
    const box = region({ kind: 'box', bbox: [0.25, 0.3, 0.1, 0.2] }); // 100,90 40x60 px
    const focal = await focalImages(image, box, { maxSide: 1024 });
    assert.deepEqual(focal.cropBox, [60, 30, 120, 180]);
    assert.deepEqual([focal.outlined.width, focal.outlined.height], [400, 300]);
    assert.deepEqual([focal.crop.width, focal.crop.height], [120, 180]);
    assert.ok(isMagenta(await pixelAt(focal.outlined.data, 100, 120)), 'left edge of the box outlined');
    assert.ok(isMagenta(await pixelAt(focal.outlined.data, 120, 149)), 'bottom edge of the box outlined');
    assert.ok(isGrey(await pixelAt(focal.outlined.data, 120, 120)), 'inside left as it is');
    assert.ok(isGrey(await pixelAt(focal.outlined.data, 300, 250)), 'elsewhere left as it is');
    // in the crop the box lies at 40,60 40x60
    assert.ok(isMagenta(await pixelAt(focal.crop.data, 40, 90)));
    assert.ok(isMagenta(await pixelAt(focal.crop.data, 60, 60)));
    assert.ok(isGrey(await pixelAt(focal.crop.data, 60, 90)));
    assert.ok(isGrey(await pixelAt(focal.crop.data, 5, 5)));
  });

  it('fits the outlined images into the model\'s size and inline budget', async () => {
    const box = region({ kind: 'box', bbox: [0.25, 0.3, 0.1, 0.2] });
    const focal = await focalImages(image, box, { maxSide: 200, maxBase64Chars: 4000 });
    assert.ok(Math.max(focal.outlined.width, focal.outlined.height) <= 200);
    assert.ok(focal.outlined.data.toString('base64').length < 4000);
    assert.ok(focal.crop.data.toString('base64').length < 4000);
  });

  it('outlines every region of a fuse request in its own colour', async () => {
    const overview = await outlinedOverview(image, [region({ kind: 'box', bbox: [0.1, 0.1, 0.2, 0.2] }), region({ id: 'r2', kind: 'box', bbox: [0.6, 0.6, 0.2, 0.2] })], { maxSide: 1024 });
    assert.ok(isMagenta(await pixelAt(overview.data, 40, 50)));
    const [r, g, b] = await pixelAt(overview.data, 240, 200);
    assert.ok(r < 80 && g > 200 && b > 200, `second region in cyan, got ${[r, g, b]}`);
  });
});
