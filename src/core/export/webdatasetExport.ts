/** WebDataset export: tar shards of `<key>.<ext>` + `<key>.txt` + `<key>.json` samples, byte-for-byte reproducible. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Region } from '../regions/regionsSidecar';
import { ProgressThrottle } from './exportProgress';
import { ExportControl, ExportReport, ExportSample } from './exportTypes';
import { loadCaption, loadImage, loadRegions, Loaded } from './sampleSource';
import { TAR_END_BYTES, TarShardWriter, tarMemberBytes } from './tarShardWriter';

export interface WebDatasetOptions extends ExportControl {
  readonly outDir: string;
  /** Shard name prefix: `<name>-000000.tar` (default 'dataset'). */
  readonly name?: string;
  readonly maxSamplesPerShard?: number;
  /** A shard closes before the sample that would take it past this size (a lone larger sample gets its own). */
  readonly maxBytesPerShard?: number;
}

interface PreparedSample {
  readonly key: string;
  readonly imagePath: string;
  readonly imageName: string;
  readonly imageSize: number;
  readonly caption: Buffer;
  readonly json: Buffer;
}

/** Members that webdataset would not accept beside the image (repeated extension in one sample). */
const RESERVED_EXTENSIONS = new Set(['txt', 'json']);

export function shardName(prefix: string, index: number): string {
  return `${prefix}-${String(index).padStart(6, '0')}.tar`;
}

/** Sequential and dot-free: webdataset's key is the member name up to its first dot. */
export function sampleKey(index: number): string {
  return String(index).padStart(9, '0');
}

export async function exportWebDataset(samples: readonly ExportSample[], options: WebDatasetOptions): Promise<ExportReport> {
  const prefix = options.name ?? 'dataset';
  if (!/^[^/\\]+$/.test(prefix)) throw new Error(`Shard name "${prefix}" must be a file name prefix without slashes.`);
  const maxSamples = options.maxSamplesPerShard ?? 10_000;
  const maxBytes = options.maxBytesPerShard ?? 1e9;
  if (!(maxSamples >= 1) || !(maxBytes > 0)) throw new Error('Shards need room for at least one sample and one byte.');
  const { signal } = options;
  await fs.mkdir(options.outDir, { recursive: true });
  const report: ExportReport = { files: [], samples: 0, bytes: 0, skipped: [] };
  const progress = new ProgressThrottle(samples.length, options.onProgress);
  let shard: TarShardWriter | undefined;
  let shardSamples = 0;
  let shardBytes = 0;
  const closeShard = async (): Promise<void> => {
    await shard!.close();
    report.files.push(shard!.file);
    report.bytes += shardBytes + TAR_END_BYTES;
    shard = undefined;
  };
  try {
    for (let i = 0; i < samples.length; i++) {
      signal?.throwIfAborted();
      const prepared = await prepareSample(samples[i], sampleKey(report.samples), options.onlyCaptioned ?? true);
      if (prepared.ok) {
        const sample = prepared.value;
        const bytes = tarMemberBytes(sample.imageSize) + tarMemberBytes(sample.caption.byteLength) + tarMemberBytes(sample.json.byteLength);
        if (shard && (shardSamples >= maxSamples || shardBytes + bytes + TAR_END_BYTES > maxBytes)) await closeShard();
        if (!shard) {
          shard = await TarShardWriter.open(path.join(options.outDir, shardName(prefix, report.files.length)));
          shardSamples = shardBytes = 0;
        }
        await shard.addFile(sample.imageName, sample.imagePath, sample.imageSize, signal);
        await shard.addBuffer(`${sample.key}.txt`, sample.caption);
        await shard.addBuffer(`${sample.key}.json`, sample.json);
        shardSamples++;
        shardBytes += bytes;
        report.samples++;
      } else {
        report.skipped.push(prepared.skip);
      }
      progress.update(i + 1, report.bytes + shardBytes);
    }
    if (shard) await closeShard();
  } catch (err) {
    await shard?.discard();
    throw err;
  }
  progress.finish(report.bytes);
  return report;
}

async function prepareSample(sample: ExportSample, key: string, onlyCaptioned: boolean): Promise<Loaded<PreparedSample>> {
  const caption = await loadCaption(sample, onlyCaptioned);
  if (!caption.ok) return caption;
  const ext = path.extname(sample.imagePath).slice(1).toLowerCase();
  if (ext === '' || RESERVED_EXTENSIONS.has(ext)) {
    return { ok: false, skip: { path: sample.relPath, reason: 'image unreadable', detail: `the extension ".${ext}" cannot name an image member` } };
  }
  const image = await loadImage(sample, true);
  if (!image.ok) return image;
  const regions = await loadRegions(sample);
  if (!regions.ok) return regions;
  const json = sampleJson(sample, key, image.value.width, image.value.height, caption.value, regions.value);
  return {
    ok: true,
    value: {
      key,
      imagePath: sample.imagePath,
      imageName: `${key}.${ext}`,
      imageSize: image.value.size,
      caption: Buffer.from(caption.value, 'utf8'),
      json: Buffer.from(JSON.stringify(json), 'utf8'),
    },
  };
}

function sampleJson(sample: ExportSample, key: string, width: number | undefined, height: number | undefined, caption: string, regions: readonly Region[] | undefined): Record<string, unknown> {
  const json: Record<string, unknown> = { key, source: sample.relPath, width, height, caption };
  if (regions) json.regions = regions;
  for (const [field, value] of Object.entries(sample.metadata ?? {})) if (!(field in json)) json[field] = value;
  return json;
}
