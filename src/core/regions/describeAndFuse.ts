/**
 * One image of a region batch: every region still without a description is described (each one
 * saved into the sidecar as it arrives, so a stopped batch never asks for it again), then the
 * descriptions are fused into the caption the batch writes in its chosen mode.
 */
import type { DatasetBoundary } from '../files/datasetBoundary';
import { regionsPathFor } from '../dataset/sidecars';
import { Region, RegionsSidecar, readRegions, writeRegions } from './regionsSidecar';

/** Where region texts come from: a describer and a fuser (services choose the models). */
export interface RegionTextSource {
  describe(request: { imagePath: string; sidecarImage: { width: number; height: number }; region: Region; signal: AbortSignal }): Promise<{ text: string; model: string }>;
  fuse(request: { imagePath: string; regions: readonly Region[]; signal: AbortSignal }): Promise<{ text: string; model: string }>;
}

export interface DescribeAndFuseOptions {
  readonly boundary: DatasetBoundary;
  readonly source: RegionTextSource;
  /** Describe every region again, not only those without a description. */
  readonly redescribe?: boolean;
  /** True when the regions file is open with unsaved changes: it is not written under the user. */
  isRegionsProtected?(regionsFile: string): boolean;
  now?(): Date;
}

/** An image the region batch cannot work on; the message says why and what to do. */
export class RegionBatchItemError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegionBatchItemError';
  }
}

/** Describes what is missing, keeps it in the sidecar, and returns the fused caption. */
export async function describeAndFuse(imagePath: string, options: DescribeAndFuseOptions, signal: AbortSignal): Promise<string> {
  const file = regionsPathFor(imagePath);
  const sidecar = await readRegions(file, options.boundary);
  if (!sidecar || sidecar.regions.length === 0) throw new RegionBatchItemError('it has no regions: draw some in the region editor first');
  const now = options.now ?? (() => new Date());
  const regions = [...sidecar.regions];
  for (let i = 0; i < regions.length; i++) {
    if (!options.redescribe && regions[i].description.trim() !== '') continue;
    signal.throwIfAborted();
    const described = await options.source.describe({ imagePath, sidecarImage: sidecar.image, region: regions[i], signal });
    const text = described.text.trim();
    if (!text) throw new RegionBatchItemError(`the model ${described.model} gave an empty description for region ${i + 1}`);
    regions[i] = { ...regions[i], description: text, model: described.model, updated: now().toISOString() };
    await saveDescription(file, regions[i], options);
  }
  signal.throwIfAborted();
  const fused = await options.source.fuse({ imagePath, regions, signal });
  return fused.text;
}

/**
 * Puts one region's new description into the sidecar as it is on disk now (the user may have
 * drawn, moved or deleted regions meanwhile): only that region's text fields change.
 */
async function saveDescription(file: string, region: Region, options: DescribeAndFuseOptions): Promise<void> {
  if (options.isRegionsProtected?.(file)) {
    throw new RegionBatchItemError('its regions are open with unsaved changes: save them, then run the batch again (the description was not written)');
  }
  const current = await readRegions(file, options.boundary);
  if (!current) throw new RegionBatchItemError('its regions file was removed while the batch ran');
  const at = current.regions.findIndex((r) => r.id === region.id);
  if (at < 0) return; // the user deleted it meanwhile: their choice stands
  const regions = current.regions.map((r, i) => (i === at ? { ...r, description: region.description, model: region.model, updated: region.updated } : r));
  const next: RegionsSidecar = { ...current, regions };
  await writeRegions(file, next, options.boundary);
}
