import { promises as fs } from 'node:fs';
import { writeFileAtomic } from '../captions/atomicWrite';

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

export function regionsPathFor(imagePath: string): string {
  const dot = imagePath.lastIndexOf('.');
  const slash = Math.max(imagePath.lastIndexOf('/'), imagePath.lastIndexOf('\\'));
  return `${dot > slash + 1 ? imagePath.slice(0, dot) : imagePath}.regions.json`;
}

export async function readRegions(file: string): Promise<RegionsSidecar | undefined> {
  const text = await fs.readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (text === undefined) return undefined;
  const parsed = JSON.parse(text) as RegionsSidecar;
  if (parsed.version !== 1 || !Array.isArray(parsed.regions)) throw new Error(`${file} is not a version 1 regions file`);
  return parsed;
}

export async function writeRegions(file: string, sidecar: RegionsSidecar): Promise<void> {
  await writeFileAtomic(file, Buffer.from(`${JSON.stringify(sidecar, null, 2)}\n`, 'utf8'));
}
