/**
 * WD taggers (SmilingWolf's wd-*-tagger-v3, wd-v1-4-*): an ONNX image classifier and its
 * selected_tags.csv, run on onnxruntime-node directly (they are no transformers.js models). The
 * images of one request are prepared in parallel (sharp works on libuv threads) and scored in one
 * batch; an image that cannot be read fails alone.
 */
import * as ort from 'onnxruntime-node';
import { readSelectedTags, type TaggerLabel } from '../core/tagging/selectedTags';
import { DEFAULT_TAG_OPTIONS, selectTags, type ScoredTag, type TagOptions } from '../core/tagging/tagSelection';
import type { ImageInput, ItemResult, ModelRef, WorkerSettings } from './protocol';
import { taggerFiles, type DownloadProgress } from './taggerFiles';
import { taggerInputSpec, taggerPixels, writeTaggerPixels, type TaggerInputSpec } from './taggerInput';
import { messageOf } from './workerErrors';

/** Label problems a reply carries at most (the host says them once; a broken file has thousands). */
const MAX_LABEL_PROBLEMS = 5;

export interface LoadedTagger {
  readonly task: 'wd-tagger';
  readonly session: ort.InferenceSession;
  readonly input: TaggerInputSpec;
  readonly outputName: string;
  /** One per output, in output order (undefined: a row of selected_tags.csv that was left out). */
  readonly labels: ReadonlyArray<TaggerLabel | undefined>;
  /** The first few rows left out of selected_tags.csv, and a count mismatch with the model's outputs. */
  readonly labelProblems: readonly string[];
  readonly device: string;
}

/** Finds (or downloads) the tagger's files and opens its session on `device`. */
export async function loadTagger(
  ref: ModelRef,
  device: 'cpu' | 'cuda',
  settings: WorkerSettings,
  sessionOptions: { readonly intraOpNumThreads?: number; readonly interOpNumThreads?: number } | undefined,
  onDownload?: (progress: DownloadProgress) => void,
): Promise<LoadedTagger> {
  const files = await taggerFiles(ref.id, settings, onDownload);
  const selected = await readSelectedTags(files['selected_tags.csv']);
  const session = await ort.InferenceSession.create(files['model.onnx'], {
    ...sessionOptions,
    executionProviders: device === 'cuda' ? ['cuda'] : ['cpu'],
    graphOptimizationLevel: 'all',
    // idle intra-op threads that spin take the cores sharp needs to prepare the next batch meanwhile
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  });
  try {
    const input = taggerInputSpec(session.inputMetadata);
    const output = session.outputMetadata[0];
    if (!output) throw new Error('the model has no output');
    const problems = selected.problems.slice(0, MAX_LABEL_PROBLEMS).map((p) => `selected_tags.csv line ${p.line}: ${p.reason}`);
    if (selected.problems.length > MAX_LABEL_PROBLEMS) problems.push(`and ${selected.problems.length - MAX_LABEL_PROBLEMS} more rows left out of selected_tags.csv`);
    const outputs = output.isTensor ? output.shape[output.shape.length - 1] : undefined;
    if (typeof outputs === 'number' && outputs !== selected.labels.length) {
      problems.push(`the model has ${outputs} outputs but selected_tags.csv lists ${selected.labels.length} tags: only the first ${Math.min(outputs, selected.labels.length)} are used`);
    }
    return { task: 'wd-tagger', session, input, outputName: output.name, labels: selected.labels, labelProblems: problems, device };
  } catch (error) {
    await session.release().catch(() => undefined);
    throw new Error(`${files['model.onnx']} is not a WD tagger: ${messageOf(error)}`);
  }
}

/**
 * Tags each image: all readable ones in one run of the model, then the options applied per image.
 * `cancelled` is asked before each image is decoded and before the run (undefined: cancelled);
 * a run is not interrupted once started.
 */
export async function tagImages(
  tagger: LoadedTagger,
  images: readonly ImageInput[],
  options: Partial<TagOptions>,
  cancelled: () => boolean = () => false,
): Promise<ItemResult<ScoredTag[]>[] | undefined> {
  const { size } = tagger.input;
  const pixels = await prepareAll(images, size, cancelled);
  if (!pixels) return undefined;
  const good = pixels.filter((item): item is Buffer => !(item instanceof Error));
  const scores = good.length ? await score(tagger, good) : [];
  const merged = { ...DEFAULT_TAG_OPTIONS, ...options };
  let next = 0;
  return pixels.map((item) => (item instanceof Error ? { ok: false as const, error: item.message } : { ok: true as const, value: selectTags(scores[next++], tagger.labels, merged) }));
}

/** Images decoded at once per request: libuv's default thread pool (sharp's pipelines run there). */
const DECODES_AT_ONCE = 4;

/**
 * Each image's RGB bytes or why it failed, decoded a few at a time; undefined once `cancelled`
 * (asked before each image, so a cancelled request of large photos stops within a few decodes).
 */
async function prepareAll(images: readonly ImageInput[], size: number, cancelled: () => boolean): Promise<Array<Buffer | Error> | undefined> {
  const out = new Array<Buffer | Error>(images.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < images.length && !cancelled()) {
      const at = next++;
      out[at] = await taggerPixels(images[at], size).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    }
  };
  await Promise.all(Array.from({ length: Math.min(DECODES_AT_ONCE, images.length) }, lane));
  return cancelled() ? undefined : out;
}

/** The last run queued on each session: runs go one at a time, so the next request's images are prepared meanwhile. */
const lastRun = new WeakMap<ort.InferenceSession, Promise<unknown>>();

/**
 * One batch through the model: a score row per image. Runs of one session are serialized: two at
 * once would split the intra-op threads between them and leave none for preparing images.
 */
async function score(tagger: LoadedTagger, images: readonly Buffer[]): Promise<Float32Array[]> {
  const previous = lastRun.get(tagger.session) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => scoreNow(tagger, images));
  lastRun.set(tagger.session, run);
  return run;
}

async function scoreNow(tagger: LoadedTagger, images: readonly Buffer[]): Promise<Float32Array[]> {
  const { size, layout } = tagger.input;
  const data = new Float32Array(images.length * size * size * 3);
  images.forEach((rgb, i) => writeTaggerPixels(rgb, tagger.input, data, i));
  const dims = layout === 'NHWC' ? [images.length, size, size, 3] : [images.length, 3, size, size];
  const feeds = { [tagger.input.name]: new ort.Tensor('float32', data, dims) };
  const result = await tagger.session.run(feeds, [tagger.outputName]);
  const output = result[tagger.outputName];
  const values = output.data as Float32Array;
  const width = values.length / images.length;
  if (!Number.isInteger(width)) throw new Error(`the model answered ${values.length} scores for ${images.length} images`);
  const rows = images.map((_, i) => values.slice(i * width, (i + 1) * width));
  output.dispose?.();
  return rows;
}
