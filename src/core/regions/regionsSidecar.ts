import { writeFileAtomic } from '../captions/atomicWrite';
import type { DatasetBoundary } from '../files/datasetBoundary';
import { readRegularFile } from '../files/regularFile';
import { formatRegions, parseRegionsText, RegionsParse } from './regionsText';
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
  /** Where the region came from: drawn by a person, segmented from clicks (SAM), or grounded by a model's caption. */
  readonly source?: 'user' | 'segment' | 'grounding';
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The image's regions; undefined when it has no sidecar. Throws RegionsFormatError for one that is
 * not JSON, not a valid version 1 regions file, or newer (saying where), and the read's own errors.
 */
export async function readRegions(file: string, boundary: DatasetBoundary): Promise<RegionsSidecar | undefined> {
  const bytes = await readRegularFile(file, MAX_REGIONS_BYTES, boundary);
  if (bytes === undefined) return undefined;
  const parsed = parseRegionsText(utf8.decode(bytes));
  if (!parsed.ok) throw new RegionsFormatError(file, regionsProblemText(parsed));
  return parsed.sidecar;
}

/** What is wrong with a sidecar's text, without the file name: "is not valid JSON (line 3, column 5: unexpected '}')". */
export function regionsProblemText(parsed: Extract<RegionsParse, { ok: false }>): string {
  const where = `line ${parsed.line}, column ${parsed.column}`;
  if (parsed.problem === 'newer') return parsed.message.replace(/^it /, '');
  if (parsed.problem === 'syntax') return `is not valid JSON (${where}: ${parsed.message})`;
  return `is not a version 1 regions file (${where}: ${parsed.message})`;
}

/** A regions file that is not valid JSON, not a version 1 regions file, or one written by a newer version. */
export class RegionsFormatError extends Error {
  constructor(readonly file: string, readonly detail: string) {
    super(`${file} ${detail}`);
    this.name = 'RegionsFormatError';
  }
}

export async function writeRegions(file: string, sidecar: RegionsSidecar, boundary: DatasetBoundary): Promise<void> {
  await writeFileAtomic(file, Buffer.from(formatRegions(sidecar), 'utf8'), boundary);
}
