import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { MAX_IMAGE_PIXELS, pixelLimitReason } from '../../src/core/images/imageLimits';
import { ImageBudgetError, ImageReadError, prepareImage } from '../../src/core/images/prepareImage';
import { PreparedImage, toBase64 } from '../../src/core/images/preparedImage';
import { jpegClaiming, pngClaiming } from '../fixtures/images/bombImages';
import { TempDirs } from './helpers/tempTree';

type Rgba = [number, number, number, number];

/** The pixel at (x, y) of the encoded result, as RGBA. */
async function pixelAt(image: PreparedImage, x: number, y: number): Promise<Rgba> {
  const { data, info } = await sharp(image.data).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * 4;
  return [data[i], data[i + 1], data[i + 2], data[i + 3]];
}

function solid(width: number, height: number, r: number, g: number, b: number): Sharp {
  return sharp({ create: { width, height, channels: 3, background: { r, g, b } } });
}

function noise(width: number, height: number, channels: 3 | 4 = 3): Sharp {
  return sharp(randomBytes(width * height * channels), { raw: { width, height, channels } });
}

/** A 1600x1200 photo-like JPEG: sky and field gradients under gaussian sensor noise of `sigma`. */
async function photoLike(sigma: number): Promise<Buffer> {
  const scene = `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1200"><defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#2a6fd6"/><stop offset="1" stop-color="#f2d49b"/></linearGradient>
    <radialGradient id="sun"><stop offset="0" stop-color="#fff6c0"/><stop offset="1" stop-color="#ff9a3c" stop-opacity="0"/></radialGradient>
    <linearGradient id="field" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#4f7f2e"/><stop offset="1" stop-color="#1f3d12"/></linearGradient></defs>
    <rect width="1600" height="1200" fill="url(#sky)"/><circle cx="1200" cy="300" r="260" fill="url(#sun)"/>
    <path d="M0 820 Q400 700 800 800 T1600 760 V1200 H0 Z" fill="url(#field)"/></svg>`;
  const grain = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma } } }).png().toBuffer();
  return sharp(Buffer.from(scene)).composite([{ input: grain, blend: 'overlay' }]).jpeg({ quality: 92 }).toBuffer();
}

function assertClose(actual: Rgba, expected: [number, number, number], tolerance = 40): void {
  for (let c = 0; c < 3; c++) {
    assert.ok(Math.abs(actual[c] - expected[c]) <= tolerance, `pixel ${actual.join(',')} is not close to ${expected.join(',')}`);
  }
}

describe('pixelLimitReason', () => {
  it('allows 16384x16384 and refuses one pixel row more', () => {
    assert.equal(MAX_IMAGE_PIXELS, 16384 * 16384);
    assert.equal(pixelLimitReason(16384, 16384), undefined);
    assert.match(pixelLimitReason(16384, 16385) ?? '', /claims 16384x16385 pixels \(268 megapixels\), more than the 268 megapixels allowed/);
  });
});

describe('prepareImage', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  it('resizes a 3000x2000 JPEG file to 1024 on its longest side, as image/jpeg', async () => {
    const file = path.join(await temp.make(), 'photo.jpg');
    await solid(3000, 2000, 30, 120, 200).jpeg().toFile(file);
    const image = await prepareImage(file, { maxSide: 1024 });
    assert.deepEqual([image.width, image.height, image.sourceWidth, image.sourceHeight], [1024, 683, 3000, 2000]);
    assert.equal(image.mime, 'image/jpeg');
    const meta = await sharp(image.data).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 1024, 683]);
  });

  it('never enlarges an image smaller than maxSide', async () => {
    const image = await prepareImage(await solid(300, 200, 0, 0, 0).png().toBuffer(), { maxSide: 1024 });
    assert.deepEqual([image.width, image.height], [300, 200]);
  });

  it('applies EXIF orientation 6: a red-left/blue-right 400x200 becomes 200x400, red on top', async () => {
    const red = await solid(200, 200, 255, 0, 0).png().toBuffer();
    const stored = await solid(400, 200, 0, 0, 255)
      .composite([{ input: red, left: 0, top: 0 }])
      .jpeg({ quality: 95 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const image = await prepareImage(stored, { maxSide: 1024 });
    assert.deepEqual([image.width, image.height, image.sourceWidth, image.sourceHeight], [200, 400, 200, 400]);
    assertClose(await pixelAt(image, 100, 50), [255, 0, 0]);
    assertClose(await pixelAt(image, 100, 350), [0, 0, 255]);
    assert.equal((await sharp(image.data).metadata()).orientation, undefined);
  });

  it('keeps a PNG with real transparency as PNG with its alpha', async () => {
    const transparentLeft = Buffer.alloc(100 * 100 * 4);
    for (let i = 0; i < 100 * 100; i++) transparentLeft.set([0, 200, 0, i % 100 < 50 ? 0 : 255], i * 4);
    const png = await sharp(transparentLeft, { raw: { width: 100, height: 100, channels: 4 } }).png().toBuffer();
    const image = await prepareImage(png, { maxSide: 1024 });
    assert.equal(image.mime, 'image/png');
    assert.equal((await sharp(image.data).metadata()).hasAlpha, true);
    assert.equal((await pixelAt(image, 10, 50))[3], 0);
    assert.deepEqual(await pixelAt(image, 90, 50), [0, 200, 0, 255]);
  });

  it('turns a PNG whose alpha channel is all opaque into a JPEG in auto', async () => {
    const png = await solid(120, 80, 10, 20, 30).ensureAlpha(1).png().toBuffer();
    assert.equal((await sharp(png).metadata()).hasAlpha, true);
    const image = await prepareImage(png, { maxSide: 1024 });
    assert.equal(image.mime, 'image/jpeg');
    assert.equal((await sharp(image.data).metadata()).channels, 3);
  });

  it('flattens transparency onto white when JPEG is asked for', async () => {
    const png = await sharp({ create: { width: 50, height: 50, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
    const image = await prepareImage(png, { maxSide: 1024, format: 'jpeg' });
    assert.equal(image.mime, 'image/jpeg');
    assertClose(await pixelAt(image, 25, 25), [255, 255, 255], 5);
  });

  it('fits a noisy 4000x3000 image under the NIM inline limit of 180,000 base64 characters', async () => {
    const jpeg = await noise(4000, 3000).jpeg({ quality: 95 }).toBuffer();
    const unconstrained = await prepareImage(jpeg, { maxSide: 1024 });
    assert.ok(toBase64(unconstrained).length > 180_000, 'the fixture must exceed the limit at quality 90');
    const image = await prepareImage(jpeg, { maxSide: 1024, maxBase64Chars: 180_000 });
    const base64 = toBase64(image);
    assert.ok(base64.length <= 180_000, `base64 is ${base64.length} characters`);
    assert.equal(Math.round((image.width / image.height) * 100), 133);
    const meta = await sharp(Buffer.from(base64, 'base64')).metadata();
    assert.deepEqual([meta.width, meta.height], [image.width, image.height]);
  });

  describe('under the NIM inline limit, quality before resolution', function () {
    this.timeout(30_000);
    const NIM = { maxSide: 1024, maxBase64Chars: 180_000 };
    /** base64 length of the photo at `side` px and `quality`, encoded as the budget does (mozjpeg's compact JPEG). */
    const compactLength = async (photo: Buffer, side: number, quality: number): Promise<number> =>
      toBase64({ data: await sharp(photo).rotate().resize(side, side, { fit: 'inside' }).jpeg({ quality, mozjpeg: true }).toBuffer(), mime: 'image/jpeg' } as PreparedImage).length;

    it('keeps a 1600x1200 photo at the full 1024 px with the highest quality of 90 to 70 that fits', async () => {
      for (const sigma of [24, 40, 56]) {
        const photo = await photoLike(sigma);
        const image = await prepareImage(photo, NIM);
        assert.deepEqual([image.width, image.height], [1024, 768], `sigma ${sigma}: ${image.width}x${image.height} at ${image.quality}`);
        assert.ok(image.quality! >= 70, `quality ${image.quality}`);
        assert.ok(toBase64(image).length < NIM.maxBase64Chars, 'strictly under the limit');
        if (image.quality! < 90) assert.ok((await compactLength(photo, 1024, image.quality! + 5)) >= NIM.maxBase64Chars, 'the next higher quality would not have fit');
      }
    });

    it('lowers the resolution a step at a time, not the quality below 70, when 70 does not fit at 1024 px', async () => {
      const photo = await photoLike(72);
      assert.ok((await compactLength(photo, 1024, 70)) >= NIM.maxBase64Chars, 'the fixture does not fit at 1024 px and quality 70');
      const image = await prepareImage(photo, NIM);
      assert.ok(image.width < 1024 && image.width >= 700, `${image.width}x${image.height}`);
      assert.equal(Math.round((image.width / image.height) * 100), 133);
      assert.ok(image.quality! >= 70, `quality ${image.quality}`);
      assert.ok(toBase64(image).length < NIM.maxBase64Chars, 'within the limit, its margin kept');
      const meta = await sharp(image.data).metadata();
      assert.deepEqual([meta.width, meta.height], [image.width, image.height]);
    });

    it('goes below quality 70 only at the smallest size allowed, before giving up', async () => {
      const photo = await photoLike(40);
      const budget = (await compactLength(photo, 1024, 60)) + 100;
      assert.ok((await compactLength(photo, 1024, 70)) > budget, 'the fixture fits at 60 but not at 70');
      const image = await prepareImage(photo, { maxSide: 1024, maxBase64Chars: budget, minSide: 1024 });
      assert.deepEqual([image.width, image.height], [1024, 768]);
      assert.ok(image.quality! < 70 && image.quality! >= 50, `quality ${image.quality}`);
    });
  });

  it('shrinks a transparent PNG to fit, staying PNG', async () => {
    const png = await noise(800, 600, 4).png().toBuffer();
    const image = await prepareImage(png, { maxSide: 1024, maxBase64Chars: 300_000 });
    assert.equal(image.mime, 'image/png');
    assert.ok(image.width < 800 && toBase64(image).length <= 300_000);
  });

  it('throws ImageBudgetError naming the budget when even the smallest size does not fit', async () => {
    const jpeg = await noise(1000, 1000).jpeg().toBuffer();
    await assert.rejects(prepareImage(jpeg, { maxSide: 1024, maxBase64Chars: 200, name: 'big.jpg' }), (err: Error) => {
      assert.ok(err instanceof ImageBudgetError);
      assert.match(err.message, /big\.jpg does not fit in 200 base64 characters/);
      assert.match(err.message, /smallest size tried, \d+x\d+/);
      assert.ok(err.smallest.width >= 64 && err.smallest.width < 100, `smallest tried ${err.smallest.width}`);
      return true;
    });
  });

  it('throws ImageReadError naming the file for corrupt bytes, a zero-byte file and a missing file', async () => {
    const dir = await temp.make();
    const corrupt = path.join(dir, 'corrupt.jpg');
    const empty = path.join(dir, 'empty.png');
    fs.writeFileSync(corrupt, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(500)]));
    fs.writeFileSync(empty, '');
    for (const file of [corrupt, empty, path.join(dir, 'missing.jpg')]) {
      await assert.rejects(prepareImage(file, { maxSide: 512 }), (err: Error) => {
        assert.ok(err instanceof ImageReadError, `${file}: ${err.name}`);
        assert.ok(err.message.startsWith(`${file} is not a readable image: `), err.message);
        assert.ok(!err.message.includes('\n'), 'no stack in the message');
        return true;
      });
    }
  });

  it('throws ImageReadError for a truncated JPEG and for text in a Buffer, using the given name', async () => {
    const jpeg = await noise(400, 300).jpeg().toBuffer();
    await assert.rejects(prepareImage(jpeg.subarray(0, jpeg.length >> 1), { maxSide: 512, name: 'cut.jpg' }), /^ImageReadError: cut\.jpg is not a readable image/);
    await assert.rejects(prepareImage(Buffer.from('not an image'), { maxSide: 512, name: 'notes.png' }), /^ImageReadError: notes\.png is not a readable image/);
  });

  it('says what it found for bytes that are no image: text in a file, an HTML page in a buffer', async () => {
    const file = path.join(await temp.make(), 'notes.jpg');
    fs.writeFileSync(file, 'a cat on a sofa\n');
    await assert.rejects(prepareImage(file, { maxSide: 512 }), (err: Error) => {
      assert.ok(err instanceof ImageReadError);
      assert.equal(err.message, `${file} is not a readable image: the file starts with text ("a cat on a sofa")`);
      return true;
    });
    const page = Buffer.from('<!DOCTYPE html><html><head><title>403 Forbidden</title></head></html>');
    await assert.rejects(prepareImage(page, { maxSide: 512, maxBase64Chars: 180_000, name: 'photo.png' }), /^ImageReadError: photo\.png is not a readable image: it is an HTML page/);
  });

  it('refuses decompression bombs by their header, a file and a buffer, before decoding a pixel', async function () {
    this.timeout(10_000);
    const file = path.join(await temp.make(), 'bomb.png');
    fs.writeFileSync(file, pngClaiming(100_000, 100_000));
    const bombs: [string | Buffer, string, string][] = [
      [file, file, '100000x100000 pixels \\(10,000 megapixels\\)'],
      [await jpegClaiming(60_000, 50_000), 'bomb.jpg', '60000x50000 pixels \\(3,000 megapixels\\)'],
    ];
    for (const [source, name, size] of bombs) {
      const started = performance.now();
      await assert.rejects(prepareImage(source, { maxSide: 1024, name }), (err: Error) => {
        assert.ok(err instanceof ImageReadError, err.name);
        const expected = `^${name.replace(/[.\/]/g, '\\$&')} is not a readable image: its header claims ${size}, more than the 268 megapixels allowed in one decode; it is refused unread, as a possible decompression bomb$`;
        assert.match(err.message, new RegExp(expected));
        return true;
      });
      assert.ok(performance.now() - started < 1000, `refused after ${(performance.now() - started).toFixed(0)} ms`);
    }
  });

  it('gives the same bytes in one pass (no budget) as through decoded pixels (a budget), for a rotated photo and a 16-bit PNG kept as PNG', async () => {
    const photo = await noise(1600, 1200).jpeg({ quality: 92 }).withMetadata({ orientation: 6 }).toBuffer();
    const png16 = await solid(40, 30, 200, 50, 10).toColourspace('rgb16').png().toBuffer();
    for (const [source, format] of [[photo, 'auto'], [png16, 'png']] as const) {
      const onePass = await prepareImage(source, { maxSide: 1024, format });
      const budgeted = await prepareImage(source, { maxSide: 1024, format, maxBase64Chars: 100_000_000 });
      assert.deepEqual(onePass, budgeted);
      const meta = await sharp(onePass.data).metadata();
      assert.deepEqual([meta.width, meta.height, meta.depth, meta.space, meta.orientation], [onePass.width, onePass.height, 'uchar', 'srgb', undefined]);
    }
  });

  it('takes the first frame of an animated GIF', async () => {
    const frames = await Promise.all([[255, 0, 0], [0, 255, 0], [0, 0, 255]].map(([r, g, b]) => solid(64, 48, r, g, b).png().toBuffer()));
    const gif = await sharp(frames, { join: { animated: true } }).gif().toBuffer();
    assert.equal((await sharp(gif).metadata()).pages, 3);
    const image = await prepareImage(gif, { maxSide: 1024 });
    assert.deepEqual([image.width, image.height, image.mime], [64, 48, 'image/jpeg']);
    assertClose(await pixelAt(image, 32, 24), [255, 0, 0]);
  });

  it('converts a 16-bit PNG and a CMYK JPEG to 8-bit sRGB', async () => {
    const png16 = await solid(40, 30, 200, 50, 10).toColourspace('rgb16').png().toBuffer();
    const cmyk = await solid(40, 30, 200, 50, 10).toColourspace('cmyk').jpeg().toBuffer();
    assert.equal((await sharp(png16).metadata()).depth, 'ushort');
    assert.equal((await sharp(cmyk).metadata()).space, 'cmyk');
    for (const source of [png16, cmyk]) {
      const image = await prepareImage(source, { maxSide: 1024 });
      const meta = await sharp(image.data).metadata();
      assert.deepEqual([image.mime, meta.space, meta.depth, meta.channels], ['image/jpeg', 'srgb', 'uchar', 3]);
      assertClose(await pixelAt(image, 20, 15), [200, 50, 10]);
    }
  });

  it('converts a palette PNG with partial transparency to 8-bit RGBA PNG', async () => {
    const palette = await sharp({ create: { width: 20, height: 20, channels: 4, background: { r: 100, g: 10, b: 100, alpha: 0.5 } } })
      .png({ palette: true })
      .toBuffer();
    const source = await sharp(palette).metadata();
    assert.deepEqual([source.isPalette, source.hasAlpha], [true, true], 'the fixture is a palette PNG with transparency');
    const image = await prepareImage(palette, { maxSide: 1024 });
    const meta = await sharp(image.data).metadata();
    assert.deepEqual([image.mime, meta.space, meta.channels, meta.isPalette], ['image/png', 'srgb', 4, false]);
    const [, , , alpha] = await pixelAt(image, 10, 10);
    assert.ok(Math.abs(alpha - 128) <= 2, `half transparent, alpha ${alpha}`);
  });

  it('encodes WebP when asked, keeping used alpha', async () => {
    const png = await sharp({ create: { width: 30, height: 30, channels: 4, background: { r: 9, g: 9, b: 9, alpha: 0.2 } } }).png().toBuffer();
    const image = await prepareImage(png, { maxSide: 1024, format: 'webp' });
    const meta = await sharp(image.data).metadata();
    assert.deepEqual([image.mime, meta.format, meta.hasAlpha], ['image/webp', 'webp', true]);
  });

  it('rejects with the abort reason when the signal is already aborted or aborts while decoding', async () => {
    const jpeg = await noise(2000, 1500).jpeg().toBuffer();
    await assert.rejects(prepareImage(jpeg, { maxSide: 512, signal: AbortSignal.abort() }), { name: 'AbortError' });
    const controller = new AbortController();
    const running = prepareImage(jpeg, { maxSide: 512, signal: controller.signal });
    controller.abort();
    await assert.rejects(running, { name: 'AbortError' });
  });
});
