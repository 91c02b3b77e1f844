/**
 * The region editor's edits of a sidecar as pure functions: each returns the new sidecar, or why
 * the edit is refused. Shapes are clipped into the image and checked before they are kept, so a
 * degenerate region never reaches the file. Browser-safe.
 */
import { clipRegion, validateRegionShape } from './regionShapes';
import type { Region, RegionsSidecar } from './regionTypes';

/** A region as drawn, before it is stamped with the time of the edit. */
export type DraftRegion = Omit<Region, 'updated'> & { readonly updated?: string };

export type EditResult = { readonly ok: true; readonly sidecar: RegionsSidecar } | { readonly ok: false; readonly message: string };

/** Adds regions (ids made unique against the sidecar's); refused as a whole when any of them is degenerate. */
export function addRegions(sidecar: RegionsSidecar, drafts: readonly DraftRegion[], now: Date): EditResult {
  const taken = new Set(sidecar.regions.map((r) => r.id));
  const added: Region[] = [];
  for (const draft of drafts) {
    const checked = checkedRegion(draft, now);
    if (!checked.ok) return checked;
    const id = taken.has(draft.id) || !draft.id ? freeId(taken) : draft.id;
    taken.add(id);
    added.push({ ...checked.region, id });
  }
  return { ok: true, sidecar: { ...sidecar, regions: [...sidecar.regions, ...added] } };
}

/** Replaces the region with the draft's id; `updated` changes only when something did. */
export function updateRegion(sidecar: RegionsSidecar, draft: DraftRegion, now: Date): EditResult {
  const index = sidecar.regions.findIndex((r) => r.id === draft.id);
  if (index < 0) return { ok: false, message: `There is no region ${draft.id} any more (it was deleted or undone).` };
  const checked = checkedRegion(draft, now);
  if (!checked.ok) return checked;
  const before = sidecar.regions[index];
  if (sameRegion(before, checked.region)) return { ok: true, sidecar };
  const regions = sidecar.regions.slice();
  regions[index] = checked.region;
  return { ok: true, sidecar: { ...sidecar, regions } };
}

/** Removes the regions with these ids. */
export function deleteRegions(sidecar: RegionsSidecar, ids: readonly string[]): RegionsSidecar {
  const gone = new Set(ids);
  return { ...sidecar, regions: sidecar.regions.filter((r) => !gone.has(r.id)) };
}

/** The next id of the form r<number> not in `taken`. */
export function freeId(taken: ReadonlySet<string>): string {
  let n = taken.size + 1;
  while (taken.has(`r${n}`)) n++;
  return `r${n}`;
}

function checkedRegion(draft: DraftRegion, now: Date): { ok: true; region: Region } | { ok: false; message: string } {
  const region: Region = { ...draft, description: draft.description ?? '', model: draft.model ?? '', updated: now.toISOString() };
  const why = validateRegionShape(region);
  if (why) return { ok: false, message: `The region was not kept: ${why}.` };
  return { ok: true, region: clipRegion(region) };
}

function sameRegion(a: Region, b: Region): boolean {
  return JSON.stringify({ ...a, updated: '' }) === JSON.stringify({ ...b, updated: '' });
}
