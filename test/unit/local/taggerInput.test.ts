import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { taggerInputSpec, taggerPixels, writeTaggerPixels, type TaggerInputSpec } from '../../../src/worker/taggerInput';
import { UnreadableImageError } from '../../../src/worker/images';
import { encodeModel } from '../../fixtures/localModels/onnxGraph';
import { designedTaggerGraph, V3_SIGNATURE, type TaggerSignature } from '../../fixtures/localModels/taggerModel';

type Rgba = readonly [number, number, number, number];

/** The demo's preparation done by hand for a `side`×`side` result that needs no resize: flatten on white, pad centred. */
function referencePadded(pixels: readonly Rgba[], width: number, height: number): number[] {
  const side = Math.max(width, height);
  const left = Math.floor((side - width) / 2);
  const top = Math.floor((side - height) / 2);
  const out = new Array<number>(side * side * 3).fill(255);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b, a] = pixels[y * width + x];
      const at = ((y + top) * side + x + left) * 3;
      [r, g, b].forEach((c, i) => (out[at + i] = (c * a + 255 * (255 - a)) / 255));
    }
  }
  return out;
}

/** Equal to the reference, value by value; where alpha blending makes it fractional, within rounding (less than 1). */
function assertPixels(got: ArrayLike<number>, want: readonly number[], what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) < 1, `${what}: value ${i} (pixel ${Math.floor(i / 3)}, channel ${i % 3}) is ${got[i]}, expected ${want[i]}`);
}

/** A small image whose every pixel differs: colour from the position, some transparent or half so. */
function patternPixels(width: number, height: number): Rgba[] {
  return Array.from({ length: width * height }, (_, i) => {
    const x = i % width;
    const y = Math.floor(i / width);
    const alpha = x === 0 && y === 0 ? 0 : x === 1 && y === 0 ? 128 : 255;
    return [(x * 37 + 10) % 256, (y * 53 + 20) % 256, (x * 11 + y * 7 + 30) % 256, alpha] as const;
  });
}

async function png(file: string, pixels: readonly Rgba[], width: number, height: number, orientation?: number): Promise<string> {
  let image = sharp(Buffer.from(pixels.flat()), { raw: { width, height, channels: 4 } }).png();
  if (orientation) image = image.withMetadata({ orientation });
  await image.toFile(file);
  return file;
}

describe('WD tagger input: shape from the model, the demo preprocessing (pad on white, BGR), layouts', function () {
  this.timeout(20_000);
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ic-tagger-input-'));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  async function specOf(signature: TaggerSignature): Promise<TaggerInputSpec> {
    const file = path.join(root, `${signature.inputName.replace(/\W/g, '_')}-${signature.layout}-${signature.size}.onnx`);
    fs.writeFileSync(file, encodeModel(designedTaggerGraph(signature)));
    const session = await ort.InferenceSession.create(file);
    try {
      return taggerInputSpec(session.inputMetadata);
    } finally {
      await session.release();
    }
  }

  it('reads name, layout and size from the input: v3 NHWC 448, NCHW, a v1.4-style name, dynamic sides → 448', async () => {
    assert.deepEqual(await specOf(V3_SIGNATURE), { name: 'input', layout: 'NHWC', size: 448, channels: 'BGR' });
    assert.deepEqual(await specOf({ ...V3_SIGNATURE, layout: 'NCHW', size: 8 }), { name: 'input', layout: 'NCHW', size: 8, channels: 'BGR' });
    assert.deepEqual(await specOf({ ...V3_SIGNATURE, inputName: 'input_1:0', size: 'side' }), { name: 'input_1:0', layout: 'NHWC', size: 448, channels: 'BGR' });
  });

  it('refuses inputs that are no image: rank 3, no channel dimension of 3, a non-square size, not float32', () => {
    const meta = (shape: Array<number | string>, type = 'float32') => [{ name: 'x', isTensor: true, type, shape }] as unknown as ort.InferenceSession.ValueMetadata[];
    assert.throws(() => taggerInputSpec(meta([1, 448, 448])), /float32 \[1, 448, 448\], not the float32/);
    assert.throws(() => taggerInputSpec(meta(['b', 448, 448, 4])), /3 channels neither last \(NHWC\) nor second \(NCHW\)/);
    assert.throws(() => taggerInputSpec(meta(['b', 448, 384, 3])), /448x384: WD taggers take a square image/);
    assert.throws(() => taggerInputSpec(meta(['b', 448, 448, 3], 'float16')), /is float16/);
    assert.throws(() => taggerInputSpec([]), /no input/);
  });

  it('a wide image is flattened on white and pasted centred into a white square, pixel for pixel (no resize at the model size)', async () => {
    const pixels = patternPixels(8, 5); // pad: top 1 row, bottom 2 (offsets round down)
    const file = await png(path.join(root, 'wide.png'), pixels, 8, 5);
    const got = [...(await taggerPixels({ path: file }, 8))];
    assertPixels(got, referencePadded(pixels, 8, 5), 'wide');
    assert.deepEqual(got.slice(0, 24), new Array(24).fill(255), 'top row: white padding');
    assert.deepEqual(got.slice(6 * 24), new Array(48).fill(255), 'two bottom rows: white padding');
    assert.deepEqual(got.slice(24, 27), [255, 255, 255], 'a transparent pixel is white');
  });

  it('a tall image is padded left and right; EXIF orientation is applied before padding', async () => {
    const pixels = patternPixels(3, 6); // pad: left 1, right 2
    const tall = await png(path.join(root, 'tall.png'), pixels, 3, 6);
    assertPixels(await taggerPixels({ path: tall }, 6), referencePadded(pixels, 3, 6), 'tall');
    // stored 6 wide and 3 high with orientation 6 (turn 90° clockwise to display): shown 3 wide and 6 high
    const stored: Rgba[] = [];
    for (let y = 0; y < 3; y++) for (let x = 0; x < 6; x++) stored.push(pixels[x * 3 + (2 - y)]); // the tall image turned 90° anticlockwise: row y is its column 2 - y
    const rotated = await png(path.join(root, 'rotated.png'), stored, 6, 3, 6);
    assert.deepEqual([...(await taggerPixels({ path: rotated }, 6))], [...(await taggerPixels({ path: tall }, 6))], 'oriented as displayed');
  });

  it('resizes the padded square to the model size: a uniform square stays uniform, a wide strip keeps white rows and uniform columns', async () => {
    const square = path.join(root, 'square.png');
    await sharp({ create: { width: 40, height: 40, channels: 3, background: { r: 200, g: 30, b: 90 } } }).png().toFile(square);
    const uniform = [...(await taggerPixels({ path: square }, 8))];
    assert.deepEqual(uniform, new Array(64).fill([200, 30, 90]).flat());
    const strip = path.join(root, 'strip.png');
    await sharp({ create: { width: 200, height: 40, channels: 3, background: { r: 200, g: 30, b: 90 } } }).png().toFile(strip);
    const got = [...(await taggerPixels({ path: strip }, 8))];
    const row = (y: number) => got.slice(y * 24, (y + 1) * 24);
    // rows 0 and 7 cover source rows 0-24 and 175-199, their cubic support reaches no nearer than 30 rows to the strip (rows 80-119)
    assert.deepEqual(row(0), new Array(24).fill(255));
    assert.deepEqual(row(7), new Array(24).fill(255));
    for (let y = 0; y < 8; y++) for (let x = 1; x < 8; x++) assert.deepEqual(row(y).slice(x * 3, x * 3 + 3), row(y).slice(0, 3), `row ${y} is uniform`);
    assert.ok(row(3)[0] < 255 && row(3)[1] < 200, `row 3 is mostly the strip's colour: ${row(3).slice(0, 3).join(',')}`);
  });

  it('greyscale, greyscale with alpha and 16-bit images become 8-bit RGB', async () => {
    const grey = path.join(root, 'grey.png');
    await sharp(Buffer.from([0, 100, 200, 255]), { raw: { width: 2, height: 2, channels: 1 } }).png().toFile(grey);
    assert.deepEqual([...(await taggerPixels({ path: grey }, 2))], [0, 0, 0, 100, 100, 100, 200, 200, 200, 255, 255, 255]);
    const greyAlpha = path.join(root, 'grey-alpha.png');
    await sharp(Buffer.from([50, 255, 50, 0]), { raw: { width: 2, height: 1, channels: 2 } }).png().toFile(greyAlpha);
    // padded to 2x2: the image is row 0 (offset rounded down), the transparent pixel white
    assert.deepEqual([...(await taggerPixels({ path: greyAlpha }, 2))], [50, 50, 50, 255, 255, 255, 255, 255, 255, 255, 255, 255]);
    const deep = path.join(root, 'deep.png');
    await sharp(Buffer.from([255, 0, 0, 0, 255, 0]), { raw: { width: 2, height: 1, channels: 3 } }).toColourspace('rgb16').png().toFile(deep);
    assert.equal((await sharp(deep).metadata()).depth, 'ushort');
    assert.deepEqual([...(await taggerPixels({ path: deep }, 2))], [255, 0, 0, 0, 255, 0, 255, 255, 255, 255, 255, 255]);
  });

  it('an unreadable image throws UnreadableImageError with its name', async () => {
    const corrupt = path.join(root, 'corrupt.jpg');
    fs.writeFileSync(corrupt, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
    await assert.rejects(taggerPixels({ path: corrupt }, 8), (error: Error) => error instanceof UnreadableImageError && /corrupt\.jpg could not be read as an image/.test(error.message));
    await assert.rejects(taggerPixels({ path: path.join(root, 'absent.png') }, 8), /absent\.png could not be read as an image: the file does not exist/);
  });

  it('writes BGR float32 0-255 in the layout asked, into its slot of the batch', () => {
    const rgb = Uint8Array.from({ length: 2 * 2 * 3 }, (_, i) => i * 10); // pixel p: R=30p, G=30p+10, B=30p+20
    const nhwc = new Float32Array(2 * 12).fill(-1);
    writeTaggerPixels(rgb, { name: 'input', layout: 'NHWC', size: 2, channels: 'BGR' }, nhwc, 1);
    assert.deepEqual([...nhwc.slice(0, 12)], new Array(12).fill(-1), 'slot 0 untouched');
    assert.deepEqual([...nhwc.slice(12)], [20, 10, 0, 50, 40, 30, 80, 70, 60, 110, 100, 90]);
    const nchw = new Float32Array(12);
    writeTaggerPixels(rgb, { name: 'input', layout: 'NCHW', size: 2, channels: 'BGR' }, nchw, 0);
    assert.deepEqual([...nchw], [20, 50, 80, 110, 10, 40, 70, 100, 0, 30, 60, 90], 'planes B, G, R');
    const rgbOrder = new Float32Array(12);
    writeTaggerPixels(rgb, { name: 'input', layout: 'NCHW', size: 2, channels: 'RGB' }, rgbOrder, 0);
    assert.deepEqual([...rgbOrder], [0, 30, 60, 90, 10, 40, 70, 100, 20, 50, 80, 110]);
  });
});
