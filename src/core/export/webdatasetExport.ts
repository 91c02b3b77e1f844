/** WebDataset export: tar shards of `<key>.<ext>` + `<key>.txt` (+ `<key>.tags.txt`) + `<key>.json` samples, byte-for-byte reproducible. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Region } from '../regions/regionsSidecar';
import { ProgressThrottle } from './exportProgress';
import { DEFAULT_MAX_SAMPLES_PER_SHARD, DEFAULT_MAX_SHARD_BYTES, ExportControl, ExportReport, ExportSample, SkippedSample } from './exportTypes';
import { completePixelSize } from './imageHead';
import { readDrafts, SampleDraft } from './sampleDrafts';
import { loadRegions } from './sampleSource';
import { ShardSequence } from './shardSequence';
import { tarMemberBytes } from './tarShardWriter';

export { shardName } from './shardSequence';

export interface WebDatasetOptions extends ExportControl {
  readonly outDir: string;
  /** Shard name prefix: `<name>-000000.tar` (default 'dataset'). */
  readonly name?: string;
  readonly maxSamplesPerShard?: number;
  /** A shard closes before the sample that would take it past this size (a lone larger sample gets its own). */
  readonly maxBytesPerShard?: number;
  /** The member of each sample's second caption (`tags.txt` for `.tags.txt`), for samples with a secondCaptionPath. */
  readonly secondCaptionMember?: string;
}

/** The WebDataset member of a second caption extension: `.tags.txt` -> `tags.txt` (the field name a loader sees). */
export function secondCaptionMember(extension: string): string {
  return extension.replace(/^\./, '').toLowerCase();
}

/** Why `member` cannot name the second caption's member, or undefined: plain dot-separated parts, none of the built-in members. */
function secondMemberProblem(member: string): string | undefined {
  if (!/^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$/.test(member) || member.length > 40) return 'it must be short lower-case name parts separated by dots (tags.txt)';
  if (member === 'txt' || member === 'json') return `it is the ${member} member every sample has`;
  return undefined;
}

/** The shard name prefix a dataset folder gives by default: its name, with anything but letters, digits, _ and - as '_'. */
export function defaultShardPrefix(datasetRoot: string): string {
  return path.basename(datasetRoot).replace(/[^\w-]+/g, '_') || 'dataset';
}

/** Sequential and dot-free: webdataset's key is the member name up to its first dot. */
export function sampleKey(index: number): string {
  return String(index).padStart(9, '0');
}

/** The sample's own key when it has one (checked: webdataset splits member names at the first dot), else the next in sequence. */
function keyOf(sample: ExportSample, written: number): string {
  if (sample.key === undefined) return sampleKey(written);
  if (!/^[\w-]+$/.test(sample.key)) throw new Error(`WebDataset key "${sample.key}" of ${sample.relPath} must be letters, digits, _ or - (no dot or slash).`);
  return sample.key;
}

/** Writes the samples in the given order; on cancellation or error the shard being written is removed. */
export async function exportWebDataset(samples: readonly ExportSample[], options: WebDatasetOptions): Promise<ExportReport> {
  const prefix = options.name ?? 'dataset';
  if (!/^[^/\\]+$/.test(prefix)) throw new Error(`Shard name "${prefix}" must be a file name prefix without slashes.`);
  const maxSamples = options.maxSamplesPerShard ?? DEFAULT_MAX_SAMPLES_PER_SHARD;
  const maxBytes = options.maxBytesPerShard ?? DEFAULT_MAX_SHARD_BYTES;
  if (!(maxSamples >= 1) || !(maxBytes > 0)) throw new Error('Shards need room for at least one sample and one byte.');
  const { signal } = options;
  const member = options.secondCaptionMember;
  const memberProblem = member === undefined ? undefined : secondMemberProblem(member);
  if (memberProblem) throw new Error(`The second caption member "${member}" cannot be used: ${memberProblem}.`);
  if (member === undefined && samples.some((s) => s.secondCaptionPath !== undefined)) throw new Error('Samples with a second caption need its member name (secondCaptionMember).');
  signal?.throwIfAborted();
  await fs.mkdir(options.outDir, { recursive: true });
  const onlyCaptioned = options.onlyCaptioned ?? true;
  const shards = new ShardSequence(options.outDir, prefix, maxSamples, maxBytes);
  const report: ExportReport = { files: shards.files, samples: 0, bytes: 0, skipped: [] };
  const progress = new ProgressThrottle(samples.length, options.onProgress);
  let done = 0;
  try {
    for await (const draft of readDrafts(samples, onlyCaptioned)) {
      signal?.throwIfAborted();
      const skipped = draft.ok ? await writeSample(shards, draft.value, keyOf(draft.value.sample, report.samples), member, signal) : draft.skip;
      if (skipped) report.skipped.push(skipped);
      else report.samples++;
      progress.update(++done, shards.bytes);
    }
    await shards.close();
  } catch (err) {
    await shards.discard();
    throw err;
  }
  report.bytes = shards.bytes;
  progress.finish(report.bytes);
  return report;
}

/** Completes the draft (pixel size past the head, regions) and writes its members; why not, when it cannot. */
async function writeSample(shards: ShardSequence, draft: SampleDraft, key: string, secondMember: string | undefined, signal?: AbortSignal): Promise<SkippedSample | undefined> {
  const pixels = await completePixelSize(draft.sample, draft.image);
  if (!pixels.ok) return pixels.skip;
  const regions = draft.hasRegions === false ? ({ ok: true, value: undefined } as const) : await loadRegions(draft.sample);
  if (!regions.ok) return regions.skip;
  const caption = Buffer.from(draft.caption, 'utf8');
  const second = draft.secondCaption === undefined || secondMember === undefined ? undefined : Buffer.from(draft.secondCaption, 'utf8');
  if (second && secondMember === draft.ext) return { path: draft.sample.relPath, reason: 'image unreadable', detail: `the image's extension is the second caption's member (${secondMember})` };
  const json = Buffer.from(JSON.stringify(sampleJson(draft, key, pixels.value, regions.value)), 'utf8');
  const bytes = tarMemberBytes(draft.image.size) + tarMemberBytes(caption.byteLength) + (second ? tarMemberBytes(second.byteLength) : 0) + tarMemberBytes(json.byteLength);
  const shard = await shards.shardFor(bytes);
  await shard.addImage(`${key}.${draft.ext}`, draft.sample.imagePath, draft.sample.boundary, draft.image, signal);
  await shard.addBuffer(`${key}.txt`, caption);
  if (second) await shard.addBuffer(`${key}.${secondMember}`, second);
  await shard.addBuffer(`${key}.json`, json);
  await shard.flushed(); // the image's head is reused for a later image once it is in the file
  shards.added(bytes);
  return undefined;
}

function sampleJson(draft: SampleDraft, key: string, pixels: { width: number; height: number }, regions: readonly Region[] | undefined): Record<string, unknown> {
  const json: Record<string, unknown> = { key, source: draft.sample.relPath, width: pixels.width, height: pixels.height, caption: draft.caption };
  if (draft.secondCaption !== undefined) json.second_caption = draft.secondCaption;
  if (regions) json.regions = regions;
  if (draft.sample.rating !== undefined) json.rating = draft.sample.rating;
  for (const [field, value] of Object.entries(draft.sample.metadata ?? {})) if (!(field in json)) json[field] = value;
  return json;
}
