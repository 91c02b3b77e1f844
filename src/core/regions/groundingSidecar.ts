import type { DatasetBoundary } from '../files/datasetBoundary';
import { GroundedPhrase, withGroundedRegions } from './groundedRegions';
import { RegionsFormatError, RegionsSidecar, readRegions, writeRegions } from './regionsSidecar';

/** Grounded regions were not saved because the sidecar there is not one this version may rewrite; it was left as it was. */
export class RegionsSidecarKeptError extends Error {
  constructor(readonly file: string, readonly reason: string) {
    super(`${file} was left as it was, so the grounded regions were not saved: it ${reason}`);
    this.name = 'RegionsSidecarKeptError';
  }
}

/**
 * Adds a model's grounded regions to an image's sidecar, keeping every other region. Only a
 * missing sidecar starts a new one: a file that cannot be read, is not JSON, or is not a version 1
 * regions file (a newer version included) is never replaced; RegionsSidecarKeptError says why.
 */
export async function saveGroundedRegions(
  file: string,
  boundary: DatasetBoundary,
  phrases: readonly GroundedPhrase[],
  context: Parameters<typeof withGroundedRegions>[2],
  /** True when the regions are open with unsaved changes: they are not written under the user. */
  isProtected?: (file: string) => boolean,
): Promise<RegionsSidecar> {
  if (isProtected?.(file)) throw new RegionsSidecarKeptError(file, 'is open with unsaved changes (save it and caption again to add the grounded boxes)');
  let existing: RegionsSidecar | undefined;
  try {
    existing = await readRegions(file, boundary);
  } catch (err) {
    throw new RegionsSidecarKeptError(file, whyUnusable(err));
  }
  const sidecar = withGroundedRegions(existing, phrases, context);
  await writeRegions(file, sidecar, boundary);
  return sidecar;
}

function whyUnusable(err: unknown): string {
  if (err instanceof RegionsFormatError) return err.detail;
  if ((err as NodeJS.ErrnoException).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') return 'is not UTF-8 text';
  return `cannot be read (${err instanceof Error ? err.message : String(err)})`;
}
