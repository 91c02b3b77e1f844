/**
 * A WD tagger's input: its shape read from the model, and images prepared as SmilingWolf's demo
 * does (alpha flattened on white, padded to a centred white square, resized bicubic, BGR 0-255).
 *
 * The rule for the shape: the first input must be a float32 tensor of rank 4; channels last (NHWC,
 * as every WD tagger: v3 and v1.4 alike) when its last dimension is 3, channels first (NCHW) when its
 * second is; the side is the fixed height/width (square), or 448 when they are dynamic. The
 * channel order is not in a model's metadata: the WD family is trained on BGR (the demo reverses
 * PIL's RGB), so BGR is the rule.
 */
import type { InferenceSession } from 'onnxruntime-node';
import sharp, { type OutputInfo } from 'sharp';
import { withImage } from './images';
import type { ImageInput } from './protocol';

/** The side the v3 and v1.4 taggers take when a model leaves it dynamic. */
export const DEFAULT_TAGGER_SIZE = 448;

export interface TaggerInputSpec {
  /** The input's name (`input` for v3, `input_1:0` for v1.4 exports). */
  readonly name: string;
  readonly layout: 'NHWC' | 'NCHW';
  /** Side of the square the image is resized to. */
  readonly size: number;
  /** Order of the three channels in the tensor. */
  readonly channels: 'BGR' | 'RGB';
}

const WHITE = { r: 255, g: 255, b: 255, alpha: 1 };

/** The input spec of a loaded tagger, from its first input's metadata; throws with what is wrong when it is no image input. */
export function taggerInputSpec(inputs: readonly InferenceSession.ValueMetadata[]): TaggerInputSpec {
  const input = inputs[0];
  if (!input) throw new Error('the model has no input');
  const shape = input.isTensor ? input.shape : [];
  const type = input.isTensor ? input.type : 'not a tensor';
  if (type !== 'float32' || shape.length !== 4) {
    throw new Error(`its input ${input.name} is ${type} [${shape.join(', ')}], not the float32 [batch, height, width, 3] image a WD tagger takes`);
  }
  const layout = shape[3] === 3 ? 'NHWC' : shape[1] === 3 ? 'NCHW' : undefined;
  if (!layout) throw new Error(`its input ${input.name} [${shape.join(', ')}] has 3 channels neither last (NHWC) nor second (NCHW)`);
  const [height, width] = layout === 'NHWC' ? [shape[1], shape[2]] : [shape[2], shape[3]];
  const fixed = [height, width].filter((dim): dim is number => typeof dim === 'number' && dim > 0);
  if (fixed.length === 2 && fixed[0] !== fixed[1]) throw new Error(`its input ${input.name} is ${height}x${width}: WD taggers take a square image`);
  return { name: input.name, layout, size: fixed[0] ?? DEFAULT_TAGGER_SIZE, channels: 'BGR' };
}

/**
 * The image as `size`×`size` RGB bytes (row-major, 3 per pixel): decoded within the size and pixel
 * limits, rotated per EXIF, alpha flattened on white, pasted centred (offsets rounded down) into
 * a white square of its longer side, resized with a cubic kernel (PIL's BICUBIC) when that side
 * is not `size`. An unreadable image throws UnreadableImageError.
 */
export async function taggerPixels(input: ImageInput, size: number): Promise<Buffer> {
  return withImage(input, async (image, metadata) => {
    const swapped = (metadata.orientation ?? 1) >= 5; // EXIF 5-8 turn the image by 90°
    const width = (swapped ? metadata.height : metadata.width) ?? 0;
    const height = (swapped ? metadata.width : metadata.height) ?? 0;
    const side = Math.max(width, height);
    const left = Math.floor((side - width) / 2);
    const top = Math.floor((side - height) / 2);
    const oriented = image.rotate();
    // flattening costs ~1 ms per 1024x768 image even without alpha: only where there is one
    const flat = metadata.hasAlpha ? oriented.flatten({ background: WHITE }) : oriented;
    const square = flat
      .extend({ left, top, right: side - width - left, bottom: side - height - top, background: WHITE })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' });
    // sharp resizes before it extends: padding first (the demo's order) takes a second pass
    const padded = await square.toBuffer({ resolveWithObject: true });
    expectRgb(padded.info, side);
    if (side === size) return padded.data;
    const resized = await sharp(padded.data, { raw: { width: side, height: side, channels: 3 } })
      .resize(size, size, { kernel: 'cubic', fit: 'fill' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    expectRgb(resized.info, size);
    return resized.data;
  });
}

/**
 * Writes one image's RGB bytes (`size`×`size`×3) into a batch tensor's data at slot `index`, as
 * float32 0-255 in the spec's layout and channel order.
 */
export function writeTaggerPixels(rgb: Uint8Array, spec: TaggerInputSpec, target: Float32Array, index: number): void {
  const pixels = spec.size * spec.size;
  const offset = index * pixels * 3;
  // source channel of each tensor channel: BGR reads R, G, B as 2, 1, 0
  const from = spec.channels === 'BGR' ? [2, 1, 0] : [0, 1, 2];
  if (spec.layout === 'NHWC') {
    for (let p = 0; p < pixels; p++) {
      const at = p * 3;
      target[offset + at] = rgb[at + from[0]];
      target[offset + at + 1] = rgb[at + from[1]];
      target[offset + at + 2] = rgb[at + from[2]];
    }
  } else {
    for (let c = 0; c < 3; c++) {
      const plane = offset + c * pixels;
      for (let p = 0; p < pixels; p++) target[plane + p] = rgb[p * 3 + from[c]];
    }
  }
}

function expectRgb(info: OutputInfo, side: number): void {
  if (info.channels !== 3 || info.width !== side || info.height !== side) {
    throw new Error(`decoded to ${info.width}x${info.height} with ${info.channels} channels, expected ${side}x${side} RGB`);
  }
}
