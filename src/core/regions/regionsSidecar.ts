import { writeFileAtomic } from '../captions/atomicWrite';
import type { DatasetBoundary } from '../files/datasetBoundary';
import { readRegularFile } from '../files/regularFile';
export { regionsPathFor } from '../dataset/sidecars';

/** A regions file beyond this is not one a person drew (masks are run-length encoded); it is refused, not loaded. */
export const MAX_REGIONS_BYTES = 64 * 1024 * 1024;

/** `<stem>.regions.json` beside an image (schema in ARCHITECTURE.md: "Data on disk"). */
export interface RegionsSidecar {
  readonly version: 1;
  readonly image: { readonly width: number; readonly height: number };
  readonly regions: readonly Region[];
}

export interface Region {
  readonly id: string;
  readonly kind: 'box' | 'polygon' | 'mask';
  /** [x, y, w, h] in 0..1 of the image. */
  readonly bbox: readonly [number, number, number, number];
  readonly points?: ReadonlyArray<readonly [number, number]>;
  readonly rle?: { readonly size: readonly [number, number]; readonly counts: string | readonly number[] };
  readonly label?: string;
  readonly description: string;
  readonly model: string;
  readonly updated: string;
  /** Where the region came from: drawn by a person, or grounded by a model's caption. */
  readonly source?: 'user' | 'grounding';
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The image's regions; undefined when it has no sidecar. Throws for one that cannot be read or is not version 1. */
export async function readRegions(file: string, boundary: DatasetBoundary): Promise<RegionsSidecar | undefined> {
  const bytes = await readRegularFile(file, MAX_REGIONS_BYTES, boundary);
  if (bytes === undefined) return undefined;
  const parsed = JSON.parse(utf8.decode(bytes)) as unknown;
  if (!isVersion1(parsed)) throw new RegionsFormatError(file, parsed);
  return parsed;
}

/** A regions file that is not version 1: another kind of JSON, or one written by a newer version. */
export class RegionsFormatError extends Error {
  /** What is wrong, without the file name: "is not a version 1 regions file". */
  readonly detail: string;

  constructor(readonly file: string, parsed: unknown) {
    const version = typeof parsed === 'object' && parsed !== null ? (parsed as { version?: unknown }).version : undefined;
    const detail = typeof version === 'number' && version > 1
      ? `has regions version ${version}, newer than this Image Captioner reads (1); update the extension`
      : 'is not a version 1 regions file';
    super(`${file} ${detail}`);
    this.name = 'RegionsFormatError';
    this.detail = detail;
  }
}

function isVersion1(parsed: unknown): parsed is RegionsSidecar {
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && (parsed as RegionsSidecar).version === 1 && Array.isArray((parsed as RegionsSidecar).regions);
}

export async function writeRegions(file: string, sidecar: RegionsSidecar, boundary: DatasetBoundary): Promise<void> {
  await writeFileAtomic(file, Buffer.from(`${JSON.stringify(sidecar, null, 2)}\n`, 'utf8'), boundary);
}
