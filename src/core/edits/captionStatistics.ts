import { CLIP_TOKEN_LIMIT, captionStats } from '../dataset/captionStats';
import { CaptionSource } from './editPlan';
import { parseTagCaption, tagKey, withoutDuplicates } from './tagList';

export interface LengthBucket {
  /** Characters (code points), inclusive. */
  readonly from: number;
  /** Exclusive; undefined for the last, open bucket (500+). */
  readonly to: number | undefined;
  readonly count: number;
}

export interface RankedTerm {
  readonly term: string;
  readonly count: number;
}

export interface CaptionStatistics {
  readonly images: number;
  /** Caption files with text. */
  readonly captioned: number;
  /** Caption files that are blank. */
  readonly empty: number;
  /** Images without a caption file. */
  readonly missing: number;
  /** Lengths of the non-blank captions (trimmed), in buckets of 25 characters up to 500+. */
  readonly lengthHistogram: LengthBucket[];
  /** Words per non-blank caption; undefined when there is none. */
  readonly words: { readonly min: number; readonly median: number; readonly max: number } | undefined;
  /** Non-blank captions whose estimated CLIP token count exceeds CLIP's 75. */
  readonly overClipLimit: number;
  /** Tags of comma-separated captions by the number of captions carrying them (first spelling seen). */
  readonly topTags: RankedTerm[];
  /** Words (lowercased, common English stop words left out) by occurrences. */
  readonly topWords: RankedTerm[];
}

export const BUCKET_SIZE = 25;
export const LAST_BUCKET_FROM = 500;
export const TOP_COUNT = 50;

const STOP_WORDS = new Set(
  ('a an and are as at be been but by for from has have he her his in into is it its of on or she that the their them ' +
    'there these they this those to was were which while with').split(' '),
);

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

/** Figures over a set of captions for the statistics view and the filters. */
export function captionStatistics(sources: readonly CaptionSource[]): CaptionStatistics {
  const buckets = new Array<number>(LAST_BUCKET_FROM / BUCKET_SIZE + 1).fill(0);
  const wordCounts: number[] = [];
  const tags = new Map<string, { term: string; count: number }>();
  const words = new Map<string, number>();
  let empty = 0;
  let missing = 0;
  let overClipLimit = 0;
  for (const source of sources) {
    if (source.text === undefined) {
      missing++;
      continue;
    }
    const text = source.text.trim();
    if (text === '') {
      empty++;
      continue;
    }
    const stats = captionStats(text);
    buckets[Math.min(Math.floor(stats.characters / BUCKET_SIZE), buckets.length - 1)]++;
    wordCounts.push(stats.words);
    if (stats.clipTokens > CLIP_TOKEN_LIMIT) overClipLimit++;
    const parsed = text.includes(',') ? parseTagCaption(text) : undefined;
    for (const tag of withoutDuplicates(parsed?.tags ?? [])) countTag(tags, tag);
    for (const word of text.toLowerCase().match(WORD) ?? []) if (!STOP_WORDS.has(word)) words.set(word, (words.get(word) ?? 0) + 1);
  }
  wordCounts.sort((a, b) => a - b);
  return {
    images: sources.length,
    captioned: wordCounts.length,
    empty,
    missing,
    lengthHistogram: buckets.map((count, i) => ({ from: i * BUCKET_SIZE, to: i < buckets.length - 1 ? (i + 1) * BUCKET_SIZE : undefined, count })),
    words: wordCounts.length ? { min: wordCounts[0], median: median(wordCounts), max: wordCounts[wordCounts.length - 1] } : undefined,
    overClipLimit,
    topTags: top([...tags.values()]),
    topWords: top([...words].map(([term, count]) => ({ term, count }))),
  };
}

function countTag(tags: Map<string, { term: string; count: number }>, tag: string): void {
  const key = tagKey(tag);
  const entry = tags.get(key);
  if (entry) entry.count++;
  else tags.set(key, { term: tag, count: 1 });
}

function median(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The TOP_COUNT most frequent, ties in code-point order so the result never depends on the locale. */
function top(terms: RankedTerm[]): RankedTerm[] {
  return terms.sort((a, b) => b.count - a.count || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0)).slice(0, TOP_COUNT);
}
