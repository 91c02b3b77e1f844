import { promises as fs } from 'node:fs';
import sharp, { type Metadata, type Sharp } from 'sharp';
import { openRegularFile } from '../files/regularFile';
import { notAnImageReason, SNIFF_BYTES } from './notAnImage';
import { PixelLimitError, sharpWithinPixelLimit } from './pixelLimit';
import { PreparedImage } from './preparedImage';

// sharp.concurrency stays at its default (1 libvips thread per image on glibc): batches parallelise across
// images on libuv's pool, and more threads per image would only compete with the extension host for cores.

export type PrepareFormat = 'auto' | 'jpeg' | 'png' | 'webp';

export interface PrepareOptions {
  /** Longest side after resizing; smaller images are never enlarged. */
  readonly maxSide: number;
  /** Budget for the base64 text of the encoded image (NIM inlines at most 180,000 characters). */
  readonly maxBase64Chars?: number;
  /** 'auto': PNG when the alpha channel is really used, JPEG otherwise. */
  readonly format?: PrepareFormat;
  /** First JPEG/WebP quality tried; lowered in steps to fit the budget. */
  readonly quality?: number;
  readonly signal?: AbortSignal;
  /** Smallest longest side tried to fit the budget (default 64); a caller that can upload instead asks for more. */
  readonly minSide?: number;
  /** How error messages name a Buffer source (a path source names itself). */
  readonly name?: string;
}

/** The source is missing, empty, corrupt or in a format sharp cannot decode. */
export class ImageReadError extends Error {
  override readonly name = 'ImageReadError';
  constructor(
    readonly file: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${file} is not a readable image: ${reason}`, options);
  }
}

/** Even the smallest size tried does not fit the budget: send the image another way (an asset). */
export class ImageBudgetError extends Error {
  override readonly name = 'ImageBudgetError';
  constructor(
    readonly file: string,
    readonly maxBase64Chars: number,
    readonly smallest: { readonly width: number; readonly height: number; readonly base64Chars: number },
  ) {
    super(
      `${file} does not fit in ${maxBase64Chars} base64 characters: the smallest size tried, ` +
        `${smallest.width}x${smallest.height}, still takes ${smallest.base64Chars}; upload it as an asset instead.`,
    );
  }
}

const DEFAULT_QUALITY = 90;
const QUALITY_STEP = 5;
/**
 * Quality is given up before resolution (a captioner needs the detail more), but only down to this.
 * Under a budget JPEGs are encoded the way mozjpeg does (trellis quantisation, optimised progressive
 * scans): ~20% fewer bytes at the same quality, so a 1600x1200 photo keeps 1024 px at quality 70-90
 * where the plain encoder had to shrink it or drop to quality 50-65; it costs ~10x the encoding CPU
 * (~100 ms per 1024-px image), which only services with an inline limit pay.
 */
const PREFERRED_MIN_QUALITY = 70;
/** Lowest quality tried at all: only at the smallest size allowed, before giving up. */
const MIN_QUALITY = 50;
/** Each smaller size tried (the longer side ×0.9): 1024, 922, 829, … px. */
const SHRINK = 0.9;
const MIN_SIDE = 64;

type Encoding = 'jpeg' | 'png' | 'webp';

/** Oriented, resized, 8-bit sRGB pixels: decoded once, then encoded as many times as the budget needs. */
interface Decoded {
  readonly pixels: Buffer;
  readonly width: number;
  readonly height: number;
  readonly channels: 3 | 4;
  readonly alphaUsed: boolean;
  readonly sourceWidth: number;
  readonly sourceHeight: number;
}

/** A source opened for decoding: its header read and checked against the pixel limit, nothing decoded yet. */
interface Opened {
  readonly image: Sharp;
  readonly meta: Metadata;
  readonly file: string;
}

/** Reads, orients, resizes and encodes an image for a model, within `maxBase64Chars` when given. */
export async function prepareImage(source: string | Buffer, options: PrepareOptions): Promise<PreparedImage> {
  const { signal } = options;
  const file = typeof source === 'string' ? source : (options.name ?? 'image buffer');
  signal?.throwIfAborted();
  const size = typeof source === 'string' ? await fileSize(source) : source.length;
  if (size === 0) throw new ImageReadError(file, 'the file is empty (0 bytes)');
  const opened = await open(source, file);
  const maxSide = Math.max(1, Math.round(options.maxSide));
  // Without a budget nothing is encoded twice, and without an alpha channel there is none to inspect:
  // one libvips pipeline from file to encoded bytes, with no raw pixels handed through JavaScript.
  if (options.maxBase64Chars === undefined && !opened.meta.hasAlpha) {
    const encoding = chooseEncoding(options.format ?? 'auto', false);
    const prepared = await encodeDirect(opened, maxSide, encoding, options.quality ?? DEFAULT_QUALITY);
    signal?.throwIfAborted();
    return prepared;
  }
  const decoded = await decode(opened, maxSide);
  signal?.throwIfAborted();
  const encoding = chooseEncoding(options.format ?? 'auto', decoded.alphaUsed);
  return fitBudget(decoded, encoding, options, file);
}

/** Only the size: libvips reads the file itself, streaming it into the decoder without a copy in JS. */
async function fileSize(file: string): Promise<number> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) throw new Error('not a file');
    return stat.size;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'the file does not exist' : (err as Error).message;
    throw new ImageReadError(file, reason, { cause: err });
  }
}

async function open(source: string | Buffer, file: string): Promise<Opened> {
  try {
    // pages: 1 keeps only the first frame of an animation; failOn 'error' tolerates harmless warnings.
    const { image, metadata } = await sharpWithinPixelLimit(source, { autoOrient: true, failOn: 'error', sequentialRead: true, pages: 1 });
    return { image, meta: metadata, file };
  } catch (err) {
    const notAnImage = err instanceof PixelLimitError ? undefined : await sniff(source);
    throw new ImageReadError(file, notAnImage ?? firstLine((err as Error).message), { cause: err });
  }
}

/** What the source is when it is not an image at all (libvips only says "unsupported image format"). */
async function sniff(source: string | Buffer): Promise<string | undefined> {
  if (typeof source !== 'string') return notAnImageReason(source.subarray(0, SNIFF_BYTES));
  const opened = await openRegularFile(source).catch(() => undefined); // unreadable now: libvips' own message stands
  if (!opened) return undefined;
  try {
    const head = Buffer.alloc(Math.min(opened.size, SNIFF_BYTES));
    const { bytesRead } = await opened.handle.read(head, 0, head.length, 0);
    return notAnImageReason(head.subarray(0, bytesRead));
  } catch {
    return undefined; // as above: the decoder's message is the one to give
  } finally {
    await opened.handle.close();
  }
}

/** Orientation (from the constructor's autoOrient), then a resize that lets libvips shrink JPEGs on load, in 8-bit sRGB. */
function oriented(image: Sharp, maxSide: number): Sharp {
  return image.resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true }).toColourspace('srgb');
}

function sourceSize(meta: Metadata): { sourceWidth: number; sourceHeight: number } {
  return { sourceWidth: meta.autoOrient?.width ?? meta.width, sourceHeight: meta.autoOrient?.height ?? meta.height };
}

/** Decodes, resizes and encodes in one pass: for sources without alpha when no budget can ask for another encoding. */
async function encodeDirect({ image, meta, file }: Opened, maxSide: number, encoding: Encoding, quality: number): Promise<PreparedImage> {
  try {
    const q = clampQuality(quality);
    const { data, info } = await withEncoding(oriented(image, maxSide), encoding, q).toBuffer({ resolveWithObject: true });
    return { data, mime: `image/${encoding}`, width: info.width, height: info.height, ...sourceSize(meta), ...(encoding === 'png' ? {} : { quality: q }) };
  } catch (err) {
    throw new ImageReadError(file, firstLine((err as Error).message), { cause: err });
  }
}

async function decode({ image, meta, file }: Opened, maxSide: number): Promise<Decoded> {
  try {
    const { data, info } = await oriented(image, maxSide).raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    if (info.channels !== 3 && info.channels !== 4) throw new Error(`unexpected ${info.channels} channels after conversion`);
    return {
      pixels: data,
      width: info.width,
      height: info.height,
      channels: info.channels,
      alphaUsed: info.channels === 4 && hasTransparentPixel(data),
      ...sourceSize(meta),
    };
  } catch (err) {
    throw new ImageReadError(file, firstLine((err as Error).message), { cause: err });
  }
}

/** Scans the alpha bytes of RGBA pixels; stops at the first one that is not fully opaque. */
function hasTransparentPixel(rgba: Buffer): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) return true;
  return false;
}

function chooseEncoding(format: PrepareFormat, alphaUsed: boolean): Encoding {
  if (format === 'auto') return alphaUsed ? 'png' : 'jpeg';
  return format;
}

function clampQuality(quality: number): number {
  return Math.min(100, Math.max(1, Math.round(quality)));
}

/** Qualities from `from` down to `to` (inclusive) in steps; `from` alone when it is already at or below `to`. */
function qualitySteps(from: number, to: number): number[] {
  const steps = [from];
  for (let q = from - QUALITY_STEP; q >= to; q -= QUALITY_STEP) steps.push(q);
  return steps;
}

/**
 * The largest size, then the highest quality, whose base64 fits: the quality goes down to 70 before
 * the size goes down (sizes predicted not to fit are skipped); only at the smallest size allowed do
 * lower qualities get a try before ImageBudgetError.
 */
async function fitBudget(decoded: Decoded, encoding: Encoding, options: PrepareOptions, file: string): Promise<PreparedImage> {
  const budget = options.maxBase64Chars;
  // Strictly under the budget, as NVIDIA's own samples check it (len(b64) < 180_000).
  const maxBytes = budget === undefined ? Infinity : Math.floor((budget - 1) / 4) * 3;
  const start = clampQuality(options.quality ?? DEFAULT_QUALITY);
  const floor = Math.min(start, PREFERRED_MIN_QUALITY);
  const preferred = encoding === 'png' ? [undefined] : qualitySteps(start, floor);
  const lastResort = encoding === 'png' ? [] : qualitySteps(floor, MIN_QUALITY).slice(1);
  // Most images fit as they are: only when the usual encoding does not is the slower compact one used.
  const asUsual = await firstFit(decoded, decoded.width, decoded.height, encoding === 'png' ? [undefined] : [start], { encoding, maxBytes, signal: options.signal, compact: false });
  if ('image' in asUsual) return asUsual.image;
  const fits = { encoding, maxBytes, signal: options.signal, compact: encoding === 'jpeg' };
  const longest = Math.max(decoded.width, decoded.height);
  const minSide = options.minSide ?? MIN_SIDE;
  let scale = 1;
  for (;;) {
    const width = Math.max(1, Math.round(decoded.width * scale));
    const height = Math.max(1, Math.round(decoded.height * scale));
    const fitted = await firstFit(decoded, width, height, preferred, fits);
    if ('image' in fitted) return fitted.image;
    // Encoded size grows roughly with area, so jump straight to the first 0.8 step that may fit.
    let steps = Math.max(1, Math.floor(Math.log(maxBytes / fitted.smallestBytes) / Math.log(SHRINK * SHRINK)));
    while (steps > 1 && longest * scale * SHRINK ** steps < minSide) steps--; // always try the smallest allowed size
    const nextScale = scale * SHRINK ** steps;
    if (longest * nextScale < minSide) {
      const lowered = await firstFit(decoded, width, height, lastResort, fits);
      if ('image' in lowered) return lowered.image;
      const smallest = { width, height, base64Chars: base64Length(Math.min(fitted.smallestBytes, lowered.smallestBytes)) };
      throw new ImageBudgetError(file, budget ?? Infinity, smallest);
    }
    scale = nextScale;
  }
}

/** The first of `qualities` (undefined: PNG) whose encoding at this size fits, or the fewest bytes any took. */
async function firstFit(
  decoded: Decoded,
  width: number,
  height: number,
  qualities: readonly (number | undefined)[],
  { encoding, maxBytes, signal, compact }: { encoding: Encoding; maxBytes: number; signal?: AbortSignal; compact: boolean },
): Promise<{ image: PreparedImage } | { smallestBytes: number }> {
  let smallestBytes = Infinity;
  for (const quality of qualities) {
    signal?.throwIfAborted();
    const data = await encode(decoded, width, height, encoding, quality ?? 0, compact);
    if (data.length <= maxBytes) {
      const { sourceWidth, sourceHeight } = decoded;
      return { image: { data, mime: `image/${encoding}`, width, height, sourceWidth, sourceHeight, ...(quality === undefined ? {} : { quality }) } };
    }
    smallestBytes = Math.min(smallestBytes, data.length);
  }
  return { smallestBytes };
}

async function encode(decoded: Decoded, width: number, height: number, encoding: Encoding, quality: number, compact: boolean): Promise<Buffer> {
  const { pixels, channels } = decoded;
  let pipeline = sharp(pixels, { raw: { width: decoded.width, height: decoded.height, channels } });
  if (width !== decoded.width || height !== decoded.height) pipeline = pipeline.resize(width, height, { fit: 'fill' });
  if (channels === 4 && !decoded.alphaUsed) pipeline = pipeline.removeAlpha();
  else if (channels === 4 && encoding === 'jpeg') pipeline = pipeline.flatten({ background: '#ffffff' });
  return withEncoding(pipeline, encoding, quality, { compact }).toBuffer();
}

/** The one set of encoder settings both paths use (sharp's defaults: 4:2:0 chroma, optimised Huffman tables); `compact` under a byte budget. */
function withEncoding(pipeline: Sharp, encoding: Encoding, quality: number, { compact = false } = {}): Sharp {
  if (encoding === 'jpeg') return pipeline.jpeg({ quality, mozjpeg: compact });
  if (encoding === 'webp') return pipeline.webp({ quality });
  return pipeline.png();
}

function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

function firstLine(message: string): string {
  return message.split('\n')[0].trim() || 'unknown decoder error';
}
