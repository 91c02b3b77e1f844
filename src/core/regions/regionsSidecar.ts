import { writeFileAtomic } from '../captions/atomicWrite';
import type { DatasetBoundary } from '../files/datasetBoundary';
import { readRegularFile } from '../files/regularFile';
import { formatRegions, parseRegionsText, RegionsParse } from './regionsText';
import type { RegionsSidecar } from './regionTypes';
export { regionsPathFor } from '../dataset/sidecars';

/** A regions file beyond this is not one a person drew (masks are run-length encoded); it is refused, not loaded. */
export const MAX_REGIONS_BYTES = 64 * 1024 * 1024;

// the types live in a browser-safe module (the region editor's webview uses them); they stay importable from here
export type { Region, RegionsSidecar } from './regionTypes';

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
