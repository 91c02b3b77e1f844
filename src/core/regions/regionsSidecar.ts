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
  const parsed = JSON.parse(utf8.decode(bytes)) as RegionsSidecar;
  if (parsed.version !== 1 || !Array.isArray(parsed.regions)) throw new Error(`${file} is not a version 1 regions file`);
  return parsed;
}

export async function writeRegions(file: string, sidecar: RegionsSidecar, boundary: DatasetBoundary): Promise<void> {
  await writeFileAtomic(file, Buffer.from(`${JSON.stringify(sidecar, null, 2)}\n`, 'utf8'), boundary);
}
