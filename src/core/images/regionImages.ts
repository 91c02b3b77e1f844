import sharp from 'sharp';
import { maskBounds } from '../regions/binaryMask';
import { focalCropBox } from '../regions/focalCrop';
import { OUTLINE_COLOUR, OUTLINE_PALETTE, outlineOf, outlineThickness, paintMask } from '../regions/outline';
import { regionMaskInWindow, Window } from '../regions/regionWindow';
import type { Region } from '../regions/regionsSidecar';
import { sharpWithinPixelLimit } from './pixelLimit';
import { ImageReadError, prepareImage } from './prepareImage';
import type { PreparedImage } from './preparedImage';

/**
 * The images a region is described from. Describe Anything gets the picture as a PNG in RGBA whose
 * alpha is the region's mask. Any other vision model gets focal prompting: the whole picture with
 * the region's contour drawn in a bright colour, and a crop around it (DAM's own focal crop: the
 * box grown to 3x, at least 48 px) with the contour drawn too, so the model knows which thing in
 * the crop is meant. A fuse request gets the picture with every region's contour.
 */

export interface RegionImageOptions {
  /** Longest side sent. */
  readonly maxSide: number;
  /** The model's inline budget for base64 text (outlined images only; a DAM server is local). */
  readonly maxBase64Chars?: number;
  readonly signal?: AbortSignal;
}

/** What focal prompting sends: the outlined picture, and the outlined crop with where it lies in the source. */
export interface FocalImages {
  readonly outlined: PreparedImage;
  readonly crop: PreparedImage;
  /** The crop in pixels of the (oriented) source image: [x, y, w, h]. */
  readonly cropBox: readonly [number, number, number, number];
}

/** Oriented pixels (RGB) of the source or of a part of it, at most maxSide on the longer side. */
interface Raster {
  readonly pixels: Buffer;
  readonly width: number;
  readonly height: number;
  readonly sourceWidth: number;
  readonly sourceHeight: number;
}

/** The region thrown at a mask it does not cover: a region outside the picture cannot be described. */
export class EmptyRegionError extends Error {
  override readonly name = 'EmptyRegionError';
}

/** The picture as a PNG in RGBA: colour as it is, alpha 255 inside the region and 0 outside. */
export async function maskedRegionPng(imagePath: string, region: Region, options: RegionImageOptions): Promise<PreparedImage> {
  const raster = await orientedRaster(imagePath, options.maxSide);
  const mask = regionMaskInWindow(region, [0, 0, 1, 1], raster.width, raster.height);
  if (!maskBounds(mask)) throw new EmptyRegionError(`region ${region.id} covers no pixel of the image`);
  const rgba = Buffer.alloc(raster.width * raster.height * 4);
  for (let i = 0; i < mask.data.length; i++) {
    rgba[i * 4] = raster.pixels[i * 3];
    rgba[i * 4 + 1] = raster.pixels[i * 3 + 1];
    rgba[i * 4 + 2] = raster.pixels[i * 3 + 2];
    rgba[i * 4 + 3] = mask.data[i] ? 255 : 0;
  }
  options.signal?.throwIfAborted();
  // encoded here, not through prepareImage: a region covering the whole picture must stay RGBA
  const data = await sharp(rgba, { raw: { width: raster.width, height: raster.height, channels: 4 } }).png().toBuffer();
  return { data, mime: 'image/png', width: raster.width, height: raster.height, sourceWidth: raster.sourceWidth, sourceHeight: raster.sourceHeight };
}

/** The outlined picture and the outlined focal crop (see the module's comment). */
export async function focalImages(imagePath: string, region: Region, options: RegionImageOptions): Promise<FocalImages> {
  const full = await orientedRaster(imagePath, options.maxSide);
  const fullMask = regionMaskInWindow(region, [0, 0, 1, 1], full.width, full.height);
  const bounds = maskBounds(fullMask);
  if (!bounds) throw new EmptyRegionError(`region ${region.id} covers no pixel of the image`);
  const { sourceWidth: sw, sourceHeight: sh } = full;
  // the crop is sized on the region's own box (its geometry), at the source's resolution
  const [bx, by, bw, bh] = region.kind === 'mask' ? bounds : region.bbox;
  const cropBox = focalCropBox([bx * sw, by * sh, bw * sw, bh * sh], sw, sh);
  const crop = await orientedRaster(imagePath, options.maxSide, cropBox);
  const window: Window = [cropBox[0] / sw, cropBox[1] / sh, cropBox[2] / sw, cropBox[3] / sh];
  const cropMask = regionMaskInWindow(region, window, crop.width, crop.height);
  paintMask(full.pixels, 3, outlineOf(fullMask, outlineThickness(full.width, full.height)), OUTLINE_COLOUR);
  paintMask(crop.pixels, 3, outlineOf(cropMask, outlineThickness(crop.width, crop.height)), OUTLINE_COLOUR);
  return { outlined: await encode(full, options, imagePath), crop: await encode(crop, options, `${imagePath} (crop)`), cropBox };
}

/** The picture with each region's contour in its own colour (OUTLINE_PALETTE, in order), for a fuse request. */
export async function outlinedOverview(imagePath: string, regions: readonly Region[], options: RegionImageOptions): Promise<PreparedImage> {
  const full = await orientedRaster(imagePath, options.maxSide);
  const thickness = outlineThickness(full.width, full.height);
  regions.forEach((region, i) => {
    const mask = regionMaskInWindow(region, [0, 0, 1, 1], full.width, full.height);
    paintMask(full.pixels, 3, outlineOf(mask, thickness), OUTLINE_PALETTE[i % OUTLINE_PALETTE.length]);
  });
  return encode(full, options, imagePath);
}

/** Decoded once, oriented as displayed, 8-bit sRGB without alpha, optionally a part ([x, y, w, h] in source pixels). */
async function orientedRaster(imagePath: string, maxSide: number, part?: readonly [number, number, number, number]): Promise<Raster> {
  try {
    const { image, metadata } = await sharpWithinPixelLimit(imagePath, { autoOrient: true, failOn: 'error', pages: 1 });
    const sourceWidth = metadata.autoOrient?.width ?? metadata.width;
    const sourceHeight = metadata.autoOrient?.height ?? metadata.height;
    const pipeline = part ? image.extract({ left: part[0], top: part[1], width: part[2], height: part[3] }) : image;
    const side = Math.max(1, Math.round(maxSide));
    const { data, info } = await pipeline
      .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .flatten({ background: '#ffffff' })
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    return { pixels: data, width: info.width, height: info.height, sourceWidth, sourceHeight };
  } catch (err) {
    throw err instanceof ImageReadError ? err : new ImageReadError(imagePath, (err as Error).message.split('\n')[0], { cause: err });
  }
}

/** Through the usual preparation: the model's size and inline budget. */
async function encode(raster: Raster, options: RegionImageOptions, name: string): Promise<PreparedImage> {
  const png = await sharp(raster.pixels, { raw: { width: raster.width, height: raster.height, channels: 3 } }).png({ compressionLevel: 1 }).toBuffer();
  const prepared = await prepareImage(png, { maxSide: options.maxSide, maxBase64Chars: options.maxBase64Chars, signal: options.signal, name });
  return { ...prepared, sourceWidth: raster.sourceWidth, sourceHeight: raster.sourceHeight };
}
