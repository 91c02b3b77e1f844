/**
 * The local-model worker: a child process the extension host starts with VS Code's own runtime.
 * stdin/stdout carry the JSON-RPC protocol and nothing else (console output goes to stderr, which
 * the host copies into its log).
 */
import { CancellationToken, createMessageConnection, ResponseError, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { RawImage } from '@huggingface/transformers';
import { deleteCachedModel, listCachedModels } from './cachedModels';
import { captionImages, newControl } from './captioner';
import { embedImages, embedTexts } from './embedder';
import { loadImage, UnreadableImageError } from './images';
import { ModelLoader, modelIdProblem, modelKey, type LoadedModel } from './modelLoader';
import { countsToString } from '../core/regions/cocoRle';
import { segmentPromptProblem } from '../core/regions/segmentTypes';
import { SegmentCancelled, Segmenter, type Segmentation } from './segmenter';
import { tagImages } from './tagger';
import { countTexts, TokenCounts, tokenizerCounter } from './tokenCounts';
import {
  DEFAULT_MAX_NEW_TOKENS,
  encodeEmbeddings,
  Notifications,
  Requests,
  WorkerErrorCodes,
  type ImageInput,
  type ItemResult,
  type ModelRef,
  type Progress,
  type WorkerSettings,
} from './protocol';
import { isOutOfMemory, messageOf, workerError } from './workerErrors';

// Libraries may print with console.log: keep stdout for the protocol.
for (const method of ['log', 'info', 'debug', 'warn'] as const) {
  console[method] = (...args: unknown[]) => process.stderr.write(`${args.map(String).join(' ')}\n`);
}
const log = (line: string) => process.stderr.write(`${line}\n`);

const connection = createMessageConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
const loader = new ModelLoader(log);
const segmenter = new Segmenter();
const tokenCounts = new TokenCounts();
let settings: WorkerSettings | undefined;


connection.onRequest(Requests.configure, (params) => {
  settings = params;
  return loader.configure(params);
});

connection.onRequest(Requests.caption, async (params, token) => {
  const loaded = await load(params.model, params.ticket, token);
  const decoded = await decodeAll(params.images);
  let tokens = 0;
  const control = newControl(
    params.stream && params.images.length === 1 ? (delta) => progress({ ticket: params.ticket, kind: 'text', delta }) : undefined,
    () => tokens++,
    (done, total) => progress({ ticket: params.ticket, kind: 'items', done, total }),
  );
  let tokensAtCancel = 0;
  const cancel = token.onCancellationRequested(() => {
    tokensAtCancel = tokens;
    control.stop.interrupt();
  });
  try {
    const good = decoded.filter((item): item is RawImage => !(item instanceof Error));
    const texts = good.length
      ? await guard(params.model, () => captionImages(loaded, good, { prompt: params.prompt, maxNewTokens: params.maxNewTokens ?? DEFAULT_MAX_NEW_TOKENS }, control))
      : [];
    if (token.isCancellationRequested) log(`Generation cancelled: stopped ${tokens - tokensAtCancel} tokens after the cancellation arrived (${tokens} in all).`);
    throwIfCancelled(token);
    return { items: mergeResults(decoded, texts), device: loaded.device };
  } finally {
    cancel.dispose();
  }
});

connection.onRequest(Requests.embedText, async (params, token) => {
  const loaded = await load(params.model, params.ticket, token);
  const vectors = await guard(params.model, () => embedTexts(loaded, params.texts));
  throwIfCancelled(token);
  return encodeEmbeddings(vectors);
});

connection.onRequest(Requests.embedImages, async (params, token) => {
  const loaded = await load(params.model, params.ticket, token);
  const decoded = await decodeAll(params.images);
  const good = decoded.filter((item): item is RawImage => !(item instanceof Error));
  const vectors = good.length ? await guard(params.model, () => embedImages(loaded, good)) : [];
  throwIfCancelled(token);
  return encodeEmbeddings(mergeResults(decoded, vectors).map((item) => (item.ok ? item.value : new Error(item.error))));
});

connection.onRequest(Requests.segment, async (params, token) => {
  const started = performance.now();
  const prompt = { points: params.points, box: params.box };
  const problem = segmentPromptProblem(prompt);
  if (problem) throw workerError('bad-input', `Cannot segment: ${problem}.`);
  if (params.model.task !== 'sam') throw workerError('bad-input', `${params.model.id} is a ${params.model.task} model; segmenting needs a SAM model`);
  const loaded = await load(params.model, params.ticket, token);
  if (loaded.task !== 'sam') throw workerError('bad-input', `${params.model.id} is not a SAM model`);
  let result: Segmentation;
  try {
    result = await guard(params.model, () => segmenter.segment(loaded, modelKey(params.model), params.image.path, prompt, () => token.isCancellationRequested));
  } catch (error) {
    if (error instanceof SegmentCancelled) throwIfCancelled(token);
    throw error;
  }
  throwIfCancelled(token);
  const { size, runs, bbox } = result.mask;
  if (!bbox) throw workerError('bad-input', `${params.model.id} found no region at this prompt: click inside the object, or add positive points.`);
  return { rle: { size, counts: countsToString(runs) }, bbox, score: result.score, millis: performance.now() - started, embeddingCached: result.embeddingCached, device: loaded.device };
});

connection.onRequest(Requests.countTokens, async (params, token) => {
  const problem = modelIdProblem(params.model.id);
  if (problem) throw workerError('bad-input', problem);
  const counter = tokenizerCounter(await tokenCounts.tokenizer(params.model.id));
  const reply = await guard(params.model, async () => countTexts(counter, params.texts, params.maxTokens));
  throwIfCancelled(token);
  return reply;
});

connection.onRequest(Requests.tag, async (params, token) => {
  if (params.model.task !== 'wd-tagger') throw workerError('bad-input', `${params.model.id} is a ${params.model.task} model; tagging needs a WD tagger (task wd-tagger)`);
  const loaded = await load(params.model, params.ticket, token);
  if (loaded.task !== 'wd-tagger') throw workerError('bad-input', `${params.model.id} is not a WD tagger`);
  const items = await guard(params.model, () => tagImages(loaded, params.images, params.options ?? {}, () => token.isCancellationRequested));
  throwIfCancelled(token);
  if (!items) throw new ResponseError(WorkerErrorCodes.cancelled, 'Cancelled');
  progress({ ticket: params.ticket, kind: 'items', done: items.length, total: items.length });
  return { items, device: loaded.device, ...(loaded.labelProblems.length ? { labelProblems: loaded.labelProblems } : {}) };
});

connection.onRequest(Requests.prepareModel, async (params, token) => {
  const loaded = await load(params.model, params.ticket, token);
  return { device: loaded.device };
});

connection.onRequest(Requests.listCachedModels, () => listCachedModels(requireSettings().cacheDir));

connection.onRequest(Requests.deleteCachedModel, async ({ id }) => {
  const deleted = await deleteCachedModel(requireSettings().cacheDir, id);
  await loader.forget(id);
  tokenCounts.forget(id);
  segmenter.forget(modelKey({ id, task: 'sam' })); // every dtype: the key ends with the dtype
  return { deleted };
});

connection.onClose(() => process.exit(0));
process.stdin.on('end', () => process.exit(0));
connection.listen();

function progress(value: Progress): void {
  void connection.sendNotification(Notifications.progress, value);
}

async function load(model: ModelRef, ticket: number, token: CancellationToken): Promise<LoadedModel> {
  const loaded = await loader.load(model, (download) => progress({ ticket, kind: 'download', ...download }));
  throwIfCancelled(token);
  return loaded;
}

/** Decodes every image; a failure stays in its slot as an Error so the others go on. */
async function decodeAll(images: readonly ImageInput[]): Promise<(RawImage | Error)[]> {
  return Promise.all(images.map((image) => loadImage(image).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))));
}

function mergeResults<T>(decoded: readonly (RawImage | Error)[], values: readonly T[]): ItemResult<T>[] {
  let next = 0;
  return decoded.map((item) => (item instanceof Error ? { ok: false as const, error: item.message } : { ok: true as const, value: values[next++] }));
}

/** Runs model work: an image that cannot be read is `bad-input`, running out of memory `out-of-memory`, anything else `failed`. */
async function guard<T>(model: ModelRef, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ResponseError || error instanceof SegmentCancelled) throw error;
    if (error instanceof UnreadableImageError) throw workerError('bad-input', error.message);
    if (isOutOfMemory(error)) throw workerError('out-of-memory', `${model.id} ran out of memory: ${messageOf(error)}. Try a smaller batch, dtype (q8/q4) or model.`);
    throw workerError('failed', `${model.id} failed: ${messageOf(error)}`);
  }
}

function throwIfCancelled(token: CancellationToken): void {
  if (token.isCancellationRequested) throw new ResponseError(WorkerErrorCodes.cancelled, 'Cancelled');
}

function requireSettings(): WorkerSettings {
  if (!settings) throw workerError('failed', 'The worker was not configured');
  return settings;
}
