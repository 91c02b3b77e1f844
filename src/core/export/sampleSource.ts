/** Reads one sample's parts for an export, turning each per-file problem into a skip reason. */
import { promises as fs } from 'node:fs';
import { readCaption } from '../captions/captionStore';
import { CaptionEncodingError } from '../captions/captionCodec';
import { readImageHeader } from '../images/imageHeader';
import { Region, readRegions, regionsPathFor } from '../regions/regionsSidecar';
import { ExportSample, SkipReason, SkippedSample } from './exportTypes';

export type Loaded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly skip: SkippedSample };

function skip(sample: ExportSample, reason: SkipReason, detail?: string): { ok: false; skip: SkippedSample } {
  return { ok: false, skip: detail === undefined ? { path: sample.relPath, reason } : { path: sample.relPath, reason, detail } };
}

/** The caption text with '\n' line breaks; '' for a missing or blank caption when those are exported too. */
export async function loadCaption(sample: ExportSample, onlyCaptioned: boolean): Promise<Loaded<string>> {
  let text: string | undefined;
  try {
    text = (await readCaption(sample.captionPath))?.text;
  } catch (err) {
    if (err instanceof CaptionEncodingError) return skip(sample, 'caption not UTF-8', err.message);
    return skip(sample, 'caption unreadable', (err as Error).message);
  }
  if (onlyCaptioned && text === undefined) return skip(sample, 'no caption');
  if (onlyCaptioned && text!.trim() === '') return skip(sample, 'no caption', 'the caption file is empty');
  return { ok: true, value: text ?? '' };
}

export interface ImageFacts {
  readonly size: number;
  readonly width?: number;
  readonly height?: number;
}

/** Size on disk, and pixel size when `withPixels` (read from the header only). */
export async function loadImage(sample: ExportSample, withPixels: boolean): Promise<Loaded<ImageFacts>> {
  if (withPixels) {
    const header = await readImageHeader(sample.imagePath);
    if (!header.error) return { ok: true, value: { size: header.fileSize, width: header.width, height: header.height } };
    const missing = await fs.stat(sample.imagePath).then(() => false, (err: NodeJS.ErrnoException) => err.code === 'ENOENT');
    return skip(sample, missing ? 'image missing' : 'image unreadable', header.error);
  }
  try {
    const stat = await fs.stat(sample.imagePath);
    if (!stat.isFile()) return skip(sample, 'image unreadable', 'not a file');
    return { ok: true, value: { size: stat.size } };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return skip(sample, code === 'ENOENT' ? 'image missing' : 'image unreadable', (err as Error).message);
  }
}

/** The regions of the image's sidecar; undefined when it has none. */
export async function loadRegions(sample: ExportSample): Promise<Loaded<readonly Region[] | undefined>> {
  try {
    return { ok: true, value: (await readRegions(regionsPathFor(sample.imagePath)))?.regions };
  } catch (err) {
    return skip(sample, 'regions unreadable', (err as Error).message);
  }
}
