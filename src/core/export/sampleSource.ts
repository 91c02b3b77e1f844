/** Reads one sample's parts for an export, turning each per-file problem into a skip reason. */
import { existsSync } from 'node:fs';
import { readCaption, readCaptionSync } from '../captions/captionStore';
import { CaptionEncodingError } from '../captions/captionCodec';
import { OutsideDatasetError } from '../files/datasetBoundary';
import { openRegularFile } from '../files/regularFile';
import { Region, readRegions, regionsPathFor } from '../regions/regionsSidecar';
import { ExportSample, SkipReason, SkippedSample } from './exportTypes';

export type Loaded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly skip: SkippedSample };

function skip(sample: ExportSample, reason: SkipReason, detail?: string): { ok: false; skip: SkippedSample } {
  return { ok: false, skip: detail === undefined ? { path: sample.relPath, reason } : { path: sample.relPath, reason, detail } };
}

/** The caption text with '\n' line breaks; '' for a missing or blank caption when those are exported too. */
export async function loadCaption(sample: ExportSample, onlyCaptioned: boolean): Promise<Loaded<string>> {
  try {
    return captionOrSkip(sample, (await readCaption(sample.captionPath, sample.boundary))?.text, onlyCaptioned);
  } catch (err) {
    return captionError(sample, err);
  }
}

/** The second caption's text ('' when the file is missing); undefined when the sample has none. */
export async function loadSecondCaption(sample: ExportSample): Promise<Loaded<string | undefined>> {
  if (sample.secondCaptionPath === undefined) return { ok: true, value: undefined };
  try {
    return { ok: true, value: (await readCaption(sample.secondCaptionPath, sample.boundary))?.text ?? '' };
  } catch (err) {
    return secondCaptionError(sample, err);
  }
}

/** loadSecondCaption in one blocking call. */
export function loadSecondCaptionSync(sample: ExportSample, scratch: Buffer): Loaded<string | undefined> {
  if (sample.secondCaptionPath === undefined) return { ok: true, value: undefined };
  try {
    return { ok: true, value: readCaptionSync(sample.secondCaptionPath, sample.boundary, scratch)?.text ?? '' };
  } catch (err) {
    return secondCaptionError(sample, err);
  }
}

/** A second caption that cannot be read skips the sample as its caption would, the file named in the detail. */
function secondCaptionError(sample: ExportSample, err: unknown): Loaded<never> {
  const failed = captionError(sample, err);
  return failed.ok ? failed : skip(sample, failed.skip.reason, `second caption: ${failed.skip.detail ?? sample.secondCaptionPath}`);
}

/** loadCaption in one blocking call, for many small cached files (see readCaptionSync). */
export function loadCaptionSync(sample: ExportSample, onlyCaptioned: boolean, scratch: Buffer): Loaded<string> {
  try {
    return captionOrSkip(sample, readCaptionSync(sample.captionPath, sample.boundary, scratch)?.text, onlyCaptioned);
  } catch (err) {
    return captionError(sample, err);
  }
}

function captionOrSkip(sample: ExportSample, text: string | undefined, onlyCaptioned: boolean): Loaded<string> {
  if (onlyCaptioned && text === undefined) return skip(sample, 'no caption');
  if (onlyCaptioned && text!.trim() === '') return skip(sample, 'no caption', 'the caption file is empty');
  return { ok: true, value: text ?? '' };
}

function captionError(sample: ExportSample, err: unknown): Loaded<never> {
  if (err instanceof CaptionEncodingError) return skip(sample, 'caption not UTF-8', err.message);
  if (err instanceof OutsideDatasetError) return skip(sample, 'outside the dataset', err.message);
  return skip(sample, 'caption unreadable', (err as Error).message);
}

/** The image's size on disk, for the exports that copy it without reading its pixels. */
export async function statImage(sample: ExportSample): Promise<Loaded<number>> {
  try {
    const opened = await openRegularFile(sample.imagePath, sample.boundary);
    if (!opened) return skip(sample, 'image missing');
    await opened.handle.close();
    return { ok: true, value: opened.size };
  } catch (err) {
    return imageError(sample, err);
  }
}

/** Why an image cannot be exported: missing, a link leading out of the dataset, or unreadable. */
export function imageError(sample: ExportSample, err: unknown): Loaded<never> {
  if (err instanceof OutsideDatasetError) return skip(sample, 'outside the dataset', err.message);
  const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
  return skip(sample, missing ? 'image missing' : 'image unreadable', (err as Error).message);
}

/** Whether the image has a regions sidecar (one stat; most images have none, so it is rarely read). */
export function hasRegionsSync(sample: ExportSample): boolean {
  return existsSync(regionsPathFor(sample.imagePath));
}

/** The regions of the image's sidecar; undefined when it has none. */
export async function loadRegions(sample: ExportSample): Promise<Loaded<readonly Region[] | undefined>> {
  try {
    return { ok: true, value: (await readRegions(regionsPathFor(sample.imagePath), sample.boundary))?.regions };
  } catch (err) {
    return skip(sample, 'regions unreadable', (err as Error).message);
  }
}
