/**
 * Layouts kept on disk by what made them (the items' content, the options, the embedding source), so
 * re-opening the panel on an unchanged dataset shows the plot without computing it again. One file per
 * layout: a JSON header (length-prefixed) then x, y (float32) and labels (int32). A file that is
 * truncated, corrupt or from another version is a miss, never an error; the newest entries are kept.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../captions/atomicWrite';
import { readRegularFile } from '../files/regularFile';
import { ExploreRunner } from './exploreRunner';
import type { ExploreInput, ExploreLayout, ExploreOptions } from './exploreTypes';

const FORMAT = 'image-captioner-layout-1';
const SUFFIX = '.layout';
/** Layouts kept; the least recently used beyond this are deleted. */
export const KEPT_LAYOUTS = 20;
/** The largest layout read back: 10 million points. */
const MAX_POINTS = 10_000_000;

/** Everything of a layout but its three arrays, which follow the header as raw bytes. */
type Header = Omit<ExploreLayout, 'x' | 'y' | 'labels'> & { readonly format: string };

export class LayoutCache {
  constructor(private readonly folder: string) {}

  /** The key of a layout of `input` with `options` from the embedding source `sourceId`. */
  key(input: ExploreInput, options: ExploreOptions, sourceId: string): string {
    const { k, reducedDims, projection, seed, restarts } = options;
    return createHash('sha256')
      .update(JSON.stringify([FORMAT, sourceId, k, reducedDims, projection, seed, restarts]))
      .update(ExploreRunner.inputId(input))
      .digest('hex');
  }

  /** The layout stored under `key`, or undefined (absent, unreadable, corrupt). */
  async get(key: string): Promise<ExploreLayout | undefined> {
    const file = this.file(key);
    let bytes: Buffer | undefined;
    try {
      bytes = await readRegularFile(file, 64 + MAX_POINTS * 12 + 16 * 1024 * 1024);
    } catch {
      return undefined;
    }
    const layout = bytes && decode(bytes);
    if (layout) {
      const now = new Date();
      await fs.utimes(file, now, now).catch(() => undefined);
    }
    return layout;
  }

  /** Stores the layout under `key` and forgets the oldest beyond KEPT_LAYOUTS. */
  async put(key: string, layout: ExploreLayout): Promise<void> {
    await fs.mkdir(this.folder, { recursive: true });
    await writeFileAtomic(this.file(key), encode(layout));
    await this.prune();
  }

  private file(key: string): string {
    if (!/^[0-9a-f]{64}$/.test(key)) throw new Error(`Not a layout key: ${key}`);
    return path.join(this.folder, `${key}${SUFFIX}`);
  }

  private async prune(): Promise<void> {
    const names = (await fs.readdir(this.folder)).filter((n) => n.endsWith(SUFFIX));
    if (names.length <= KEPT_LAYOUTS) return;
    const dated = await Promise.all(
      names.map(async (name) => ({ name, time: await fs.stat(path.join(this.folder, name)).then((s) => s.mtimeMs, () => 0) })),
    );
    dated.sort((a, b) => b.time - a.time);
    await Promise.all(dated.slice(KEPT_LAYOUTS).map((d) => fs.rm(path.join(this.folder, d.name), { force: true })));
  }
}

function encode(layout: ExploreLayout): Uint8Array {
  const header: Header = {
    format: FORMAT,
    count: layout.count,
    clusters: layout.clusters,
    timings: layout.timings,
    ...(layout.explained === undefined ? {} : { explained: layout.explained }),
    ...(layout.notes ? { notes: layout.notes } : {}),
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  // The arrays start on a 4-byte boundary so they can be viewed in place when read.
  const headerSize = 4 + json.length + ((4 - ((4 + json.length) % 4)) % 4);
  const out = Buffer.alloc(headerSize + layout.count * 12);
  out.writeUInt32LE(json.length, 0);
  json.copy(out, 4);
  Buffer.from(layout.x.buffer, layout.x.byteOffset, layout.count * 4).copy(out, headerSize);
  Buffer.from(layout.y.buffer, layout.y.byteOffset, layout.count * 4).copy(out, headerSize + layout.count * 4);
  Buffer.from(layout.labels.buffer, layout.labels.byteOffset, layout.count * 4).copy(out, headerSize + layout.count * 8);
  return out;
}

function decode(bytes: Buffer): ExploreLayout | undefined {
  try {
    if (bytes.length < 4) return undefined;
    const jsonLength = bytes.readUInt32LE(0);
    if (4 + jsonLength > bytes.length) return undefined;
    const header = JSON.parse(bytes.subarray(4, 4 + jsonLength).toString('utf8')) as Header;
    if (header.format !== FORMAT || !Number.isInteger(header.count) || header.count < 0 || !Array.isArray(header.clusters)) return undefined;
    const count = header.count;
    const headerSize = 4 + jsonLength + ((4 - ((4 + jsonLength) % 4)) % 4);
    if (bytes.length !== headerSize + count * 12) return undefined;
    // Copies: the arrays must own their buffers (they are transferred to the webview).
    const copy = (at: number): ArrayBuffer => bytes.buffer.slice(bytes.byteOffset + at, bytes.byteOffset + at + count * 4) as ArrayBuffer;
    const labels = new Int32Array(copy(headerSize + count * 8));
    const k = header.clusters.length;
    for (const label of labels) if (label < 0 || label >= k) return undefined;
    return {
      count,
      x: new Float32Array(copy(headerSize)),
      y: new Float32Array(copy(headerSize + count * 4)),
      labels,
      clusters: header.clusters,
      timings: header.timings ?? {},
      ...(typeof header.explained === 'number' ? { explained: header.explained } : {}),
      ...(Array.isArray(header.notes) ? { notes: header.notes } : {}),
    };
  } catch {
    return undefined;
  }
}
