/** What every export reads and reports: the samples in, the files out and what was left out and why. */
import type { DatasetBoundary } from '../files/datasetBoundary';

export interface ExportSample {
  readonly imagePath: string;
  /** The image's path relative to the dataset root, '/'-separated. */
  readonly relPath: string;
  readonly captionPath: string;
  /**
   * The image's second caption (`<stem>.tags.txt`), exported beside the caption when given: a
   * WebDataset member of its own, a second column of a caption table. A missing file is empty text.
   */
  readonly secondCaptionPath?: string;
  /** The dataset the sample belongs to: nothing outside it is read (a link leading out is skipped). */
  readonly boundary: DatasetBoundary;
  /** Stars (0 when unrated) when the dataset has ratings; absent when it has none, so no export writes a rating field. */
  readonly rating?: number;
  /** Extra fields merged into a WebDataset sample's json (e.g. `model`); never overrides the built-in ones. */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /**
   * The sample's WebDataset key (digits, no dot or slash); default: the number of samples written before it.
   * Sharded exports give each image its position in the whole dataset, so N shards' members together are the unsharded export's.
   */
  readonly key?: string;
}

export type SkipReason =
  | 'no caption'
  | 'caption not UTF-8'
  | 'caption unreadable'
  | 'image missing'
  | 'image unreadable'
  | 'outside the dataset'
  | 'regions unreadable';

export interface SkippedSample {
  /** The sample's relPath. */
  readonly path: string;
  readonly reason: SkipReason;
  readonly detail?: string;
}

export interface ExportReport {
  /** The files written, in order. */
  files: string[];
  /** Samples exported. */
  samples: number;
  /** Bytes written. */
  bytes: number;
  skipped: SkippedSample[];
}

/** Called with samples handled (exported or skipped), all samples, and bytes written so far. */
export type ExportProgress = (done: number, total: number, bytes: number) => void;

export interface ExportControl {
  readonly signal?: AbortSignal;
  readonly onProgress?: ExportProgress;
  /** Leave out images with no caption or an empty one (default true). */
  readonly onlyCaptioned?: boolean;
}

/** One fixed timestamp for every member, so that the same dataset exports to identical bytes. */
export const EXPORT_MTIME = new Date(Date.UTC(2000, 0, 1));

/** A WebDataset shard closes after this many samples unless told otherwise (the setting imageCaptioner.export.maxSamplesPerShard). */
export const DEFAULT_MAX_SAMPLES_PER_SHARD = 10_000;
/** ... or before passing this size (imageCaptioner.export.maxShardSizeMB: 1000). */
export const DEFAULT_MAX_SHARD_BYTES = 1e9;
