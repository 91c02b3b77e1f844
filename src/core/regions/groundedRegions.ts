import type { Region, RegionsSidecar } from './regionsSidecar';

/** A caption phrase tied to boxes, [x1, y1, x2, y2] in 0..1 (Kosmos-2's grounding). */
export interface GroundedPhrase {
  readonly phrase: string;
  readonly boxes: ReadonlyArray<readonly [number, number, number, number]>;
}

/**
 * Replaces the regions a model grounded earlier with the new ones (one box region per box) and
 * keeps every other region and field of the sidecar.
 */
export function withGroundedRegions(
  existing: RegionsSidecar | undefined,
  phrases: readonly GroundedPhrase[],
  context: { readonly model: string; readonly width: number; readonly height: number; readonly now: Date },
): RegionsSidecar {
  const kept = (existing?.regions ?? []).filter((r) => r.source !== 'grounding');
  const updated = context.now.toISOString();
  const grounded: Region[] = [];
  for (const entity of phrases) {
    for (const [x1, y1, x2, y2] of entity.boxes) {
      const x = clamp01(Math.min(x1, x2));
      const y = clamp01(Math.min(y1, y2));
      const w = clamp01(Math.max(x1, x2)) - x;
      const h = clamp01(Math.max(y1, y2)) - y;
      if (w <= 0 || h <= 0) continue;
      grounded.push({
        id: `g${grounded.length + 1}`,
        kind: 'box',
        bbox: [round(x), round(y), round(w), round(h)],
        label: entity.phrase,
        description: entity.phrase,
        model: context.model,
        updated,
        source: 'grounding',
      });
    }
  }
  // fields this version does not know are the user's too: they stay
  return { ...existing, version: 1, image: existing?.image ?? { width: context.width, height: context.height }, regions: [...kept, ...grounded] };
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}

function round(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}
