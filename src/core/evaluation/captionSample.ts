/**
 * Captions an evaluation's sample with one model through the batch engine (rate limit, retries,
 * fail-fast, journal), writing the candidates under the report's own folder: each image's caption
 * path is mirrored below `<report folder>/captions/<model folder>/`, a DatasetBoundary of its own, so
 * no caption file of the dataset is ever read or written.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { runBatch } from '../captioning/batchJob';
import type { BatchItem, BatchProgress, BatchSummary } from '../captioning/batchTypes';
import type { RetryPolicy } from '../captioning/retryPolicy';
import { DatasetBoundary, isWithin } from '../files/datasetBoundary';
import type { ModelCaption } from './evaluationReport';

/** A sampled image: its id in the report and where it lives in the dataset. */
export interface SampleImage {
  /** Relative to the dataset root, '/' separated. */
  readonly path: string;
  readonly imagePath: string;
  /** The dataset's caption path of the image: mirrored, never touched. */
  readonly captionPath: string;
}

/** What a request gave: the cleaned text and the request's own wall time. */
export interface TimedCaption {
  readonly text: string;
  readonly elapsedMs: number;
}

export interface CaptionSampleOptions {
  /** `<storage>/evaluations/<report id>`. */
  readonly reportFolder: string;
  /** A folder name for this model's candidates (unique within the report). */
  readonly modelFolder: string;
  readonly modelId: string;
  readonly datasetRoot: string;
  readonly images: readonly SampleImage[];
  /** One request for one image (the caller's trust, key and settings); must honour `signal`. */
  generate(imagePath: string, signal: AbortSignal): Promise<TimedCaption>;
  readonly concurrency?: number;
  readonly rpm?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly signal?: AbortSignal;
  onProgress?(progress: BatchProgress): void;
}

/** Each image's caption or error by relative path (images never settled are absent), and the batch's summary. */
export interface SampleCaptions {
  readonly captions: Map<string, ModelCaption>;
  readonly summary: BatchSummary;
}

/** A folder name for a model id: its letters, digits, '.', '_' and '-' (others as '_'), at most 60 characters. */
export function modelFolderName(modelId: string, position: number): string {
  return `${position + 1}-${modelId.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_').slice(0, 60)}`;
}

/** Captions the sample with one model; never throws for an image (its error is recorded). */
export async function captionSample(options: CaptionSampleOptions): Promise<SampleCaptions> {
  const folder = path.join(options.reportFolder, 'captions', options.modelFolder);
  await fs.mkdir(folder, { recursive: true });
  const boundary = await DatasetBoundary.at(folder);
  const pathOf = new Map<string, string>();
  const items: BatchItem[] = [];
  for (const image of options.images) {
    const mirrored = path.join(folder, path.relative(options.datasetRoot, image.captionPath));
    if (!isWithin(folder, mirrored)) throw new Error(`${image.captionPath} is not inside the dataset folder ${options.datasetRoot}.`);
    await fs.mkdir(path.dirname(mirrored), { recursive: true });
    items.push({ imagePath: image.imagePath, captionPath: mirrored });
    pathOf.set(image.imagePath, image.path);
  }
  const elapsed = new Map<string, number>();
  const captions = new Map<string, ModelCaption>();
  const summary = await runBatch({
    items,
    mode: 'overwrite',
    boundary,
    concurrency: options.concurrency,
    rpm: options.rpm,
    retry: options.retry,
    signal: options.signal,
    journal: { folder: path.join(options.reportFolder, 'journal'), modelId: options.modelId, context: { kind: 'evaluation', modelFolder: options.modelFolder } },
    generate: async (item, signal) => {
      const result = await options.generate(item.imagePath, signal);
      elapsed.set(item.imagePath, result.elapsedMs); // the last try's time: the one that gave the text
      return result.text;
    },
    onItem: (outcome) => {
      const id = pathOf.get(outcome.item.imagePath)!;
      if (outcome.kind === 'written') captions.set(id, { text: outcome.text, elapsedMs: elapsed.get(outcome.item.imagePath) });
      else if (outcome.kind === 'failed') captions.set(id, { error: outcome.reason });
    },
    onProgress: options.onProgress,
  });
  if (summary.stopped) {
    const reason = `not sent: the run with this model stopped after ${summary.stopped.failures} failed requests in a row (${summary.stopped.reason})`;
    for (const image of options.images) if (!captions.has(image.path)) captions.set(image.path, { error: reason });
  }
  return { captions, summary };
}
