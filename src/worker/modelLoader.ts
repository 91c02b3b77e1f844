/**
 * Loads local models with transformers.js on onnxruntime-node: settings (cache folder, local
 * folder, offline), device choice with a CPU fallback, download progress, and one loaded copy of
 * each model per worker.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import * as transformers from '@huggingface/transformers';
import { listSupportedBackends } from 'onnxruntime-node';
import { ResponseError } from 'vscode-jsonrpc';
import type { LocalDtype, ModelRef, WorkerInfo, WorkerSettings } from './protocol';
import type { DownloadProgress } from './taggerFiles';
import { yieldBetweenSteps } from './captioner';
import { chooseDevice } from './deviceChoice';
import { loadTagger, type LoadedTagger } from './tagger';
import { isOutOfMemory, messageOf, workerError } from './workerErrors';

type Processor = Awaited<ReturnType<typeof transformers.AutoProcessor.from_pretrained>>;
type Tokenizer = Awaited<ReturnType<typeof transformers.AutoTokenizer.from_pretrained>>;
type Model = transformers.PreTrainedModel;

export type LoadedModel =
  | { readonly task: 'image-to-text'; readonly processor: Processor; readonly tokenizer: Tokenizer; readonly model: Model; readonly device: string }
  | { readonly task: 'florence2'; readonly processor: Processor; readonly model: Model; readonly device: string }
  | { readonly task: 'smolvlm'; readonly processor: Processor; readonly model: Model; readonly device: string }
  | { readonly task: 'feature-extraction'; readonly extractor: transformers.FeatureExtractionPipeline; readonly device: string }
  | { readonly task: 'image-feature-extraction'; readonly extractor: transformers.ImageFeatureExtractionPipeline; readonly device: string }
  | { readonly task: 'sam'; readonly processor: Processor; readonly model: Model; readonly device: string }
  | LoadedTagger
  | {
      readonly task: 'clip';
      readonly processor: Processor;
      readonly tokenizer: Tokenizer;
      readonly textModel: Model;
      readonly visionModel: Model;
      readonly device: string;
    };

export type { DownloadProgress } from './taggerFiles';

export type Log = (line: string) => void;

export class ModelLoader {
  private settings: WorkerSettings | undefined;
  private readonly loaded = new Map<string, Promise<LoadedModel>>();
  private loggedDeviceReason: string | undefined;

  constructor(private readonly log: Log) {}

  configure(settings: WorkerSettings): WorkerInfo {
    this.settings = settings;
    transformers.env.cacheDir = settings.cacheDir;
    transformers.env.useFSCache = true;
    transformers.env.allowLocalModels = true;
    transformers.env.allowRemoteModels = settings.allowRemoteModels;
    if (settings.localModelPath) transformers.env.localModelPath = withTrailingSlash(settings.localModelPath);
    this.loaded.clear();
    const backends = listSupportedBackends().map((backend) => backend.name);
    return {
      pid: process.pid,
      versions: { node: process.versions.node, transformers: transformers.env.version },
      backends,
    };
  }

  /** The loaded model, loading it (and downloading what is missing) on first use. */
  load(ref: ModelRef, onDownload?: (progress: DownloadProgress) => void): Promise<LoadedModel> {
    const key = modelKey(ref);
    let pending = this.loaded.get(key);
    if (!pending) {
      pending = this.loadOnce(ref, onDownload);
      this.loaded.set(key, pending);
      const failed = pending;
      failed.catch(() => {
        if (this.loaded.get(key) === failed) this.loaded.delete(key);
      });
    }
    return pending;
  }

  /** Drops the loaded copies of a model (its cache folder was deleted), releasing their sessions. */
  async forget(id: string): Promise<void> {
    for (const [key, pending] of [...this.loaded]) {
      if (key.split('\n')[1] !== id) continue;
      this.loaded.delete(key);
      const loaded = await pending.catch(() => undefined);
      if (loaded?.task === 'wd-tagger') await loaded.session.release().catch(() => undefined);
      else for (const model of loaded ? sessionsOf(loaded) : []) await model.dispose().catch(() => undefined);
    }
  }

  private async loadOnce(ref: ModelRef, onDownload?: (progress: DownloadProgress) => void): Promise<LoadedModel> {
    const settings = this.requireSettings();
    const problem = modelIdProblem(ref.id);
    if (problem) throw workerError('bad-input', problem);
    const device = this.chooseDevice(settings);
    try {
      return await this.loadOn(ref, device, onDownload);
    } catch (error) {
      if (device !== 'cpu' && !isMissingModel(error)) {
        this.log(`Could not start ${ref.id} on ${device} (${messageOf(error)}); running it on the CPU.`);
        return this.loadOn(ref, 'cpu', onDownload).catch((cpuError: unknown) => {
          throw this.explain(ref, cpuError);
        });
      }
      throw this.explain(ref, error);
    }
  }

  private async loadOn(ref: ModelRef, device: 'cpu' | 'cuda', onDownload?: (progress: DownloadProgress) => void): Promise<LoadedModel> {
    const started = Date.now();
    const fetched = new Set<string>();
    const options = {
      dtype: (ref.dtype ?? 'fp32') as LocalDtype,
      device,
      session_options: this.sessionOptions(),
      // The library reports progress for files read from disk too: only files fetched from the hub count.
      progress_callback: (event: transformers.ProgressInfo) => {
        if (event.status === 'download' && this.fetchedFromHub(ref.id, event.file)) fetched.add(event.file);
        if (event.status === 'progress' && onDownload && fetched.has(event.file)) onDownload({ file: event.file, loaded: event.loaded, total: event.total });
      },
    };
    const id = ref.id;
    let model: LoadedModel;
    switch (ref.task) {
      case 'image-to-text':
        model = {
          task: ref.task,
          processor: await transformers.AutoProcessor.from_pretrained(id, options),
          tokenizer: await transformers.AutoTokenizer.from_pretrained(id, options),
          model: await transformers.AutoModelForVision2Seq.from_pretrained(id, options),
          device,
        };
        break;
      case 'florence2':
        model = {
          task: ref.task,
          processor: await transformers.AutoProcessor.from_pretrained(id, options),
          model: await transformers.Florence2ForConditionalGeneration.from_pretrained(id, options),
          device,
        };
        break;
      case 'smolvlm':
        model = {
          task: ref.task,
          processor: await transformers.AutoProcessor.from_pretrained(id, options),
          model: await transformers.AutoModelForVision2Seq.from_pretrained(id, options),
          device,
        };
        break;
      case 'feature-extraction':
        model = {
          task: ref.task,
          extractor: (await transformers.pipeline('feature-extraction', id, options)) as transformers.FeatureExtractionPipeline,
          device,
        };
        break;
      case 'image-feature-extraction':
        // the pipeline's AutoModel maps ViT, DINOv2, ResNet, ConvNeXt, ... to their bare feature models
        model = {
          task: ref.task,
          extractor: (await transformers.pipeline('image-feature-extraction', id, options)) as transformers.ImageFeatureExtractionPipeline,
          device,
        };
        break;
      case 'sam':
        // AutoModel maps model_type sam, sam2, edgetam and sam3_tracker to their mask-generation classes
        // (vision_encoder + prompt_encoder_mask_decoder sessions).
        model = {
          task: ref.task,
          processor: await transformers.AutoProcessor.from_pretrained(id, options),
          model: await transformers.AutoModel.from_pretrained(id, options),
          device,
        };
        if (typeof (model.model as { get_image_embeddings?: unknown }).get_image_embeddings !== 'function') {
          throw new Error(`${id} is not a SAM model (its config.json model_type must be sam, sam2, edgetam or sam3_tracker)`);
        }
        break;
      case 'clip':
        model = {
          task: ref.task,
          processor: await transformers.AutoProcessor.from_pretrained(id, options),
          tokenizer: await transformers.AutoTokenizer.from_pretrained(id, options),
          textModel: await transformers.CLIPTextModelWithProjection.from_pretrained(id, options),
          visionModel: await transformers.CLIPVisionModelWithProjection.from_pretrained(id, options),
          device,
        };
        break;
      case 'wd-tagger':
        // onnxruntime-node directly (no transformers.js model): model.onnx + selected_tags.csv
        model = await loadTagger(ref, device, this.requireSettings(), this.sessionOptions(), onDownload);
        break;
    }
    if ('model' in model) yieldBetweenSteps(model.model as unknown as { forward(inputs: unknown): Promise<unknown> });
    this.log(`Loaded ${id} (${ref.task}${ref.task === 'wd-tagger' ? '' : `, ${options.dtype}`}) on ${device} in ${Date.now() - started} ms.`);
    return model;
  }

  private fetchedFromHub(id: string, file: string): boolean {
    if (isAbsolute(id)) return false;
    const settings = this.requireSettings();
    const candidates = [join(settings.cacheDir, id, file), settings.localModelPath ? join(settings.localModelPath, id, file) : undefined];
    return !candidates.some((candidate) => candidate && existsSync(candidate));
  }

  private sessionOptions(): Record<string, unknown> | undefined {
    const threads = this.settings?.threads;
    return threads && threads > 0 ? { intraOpNumThreads: threads, interOpNumThreads: 1 } : undefined;
  }

  private chooseDevice(settings: WorkerSettings): 'cpu' | 'cuda' {
    const folder = bindingFolder();
    const choice = chooseDevice(settings.device, {
      platform: process.platform,
      arch: process.arch,
      cudaProviderInstalled: folder !== undefined && readdirSync(folder).some((name) => /onnxruntime_providers_cuda/.test(name)),
      bindingFolder: folder,
    });
    // Once per worker and setting: the log says which provider runs and why (each load names its device too).
    if (this.loggedDeviceReason !== choice.reason) {
      this.loggedDeviceReason = choice.reason;
      this.log(`Execution provider: ${choice.device === 'cuda' ? 'CUDA' : 'CPU'}. ${choice.reason}`);
    }
    return choice.device;
  }

  private explain(ref: ModelRef, error: unknown): Error {
    if (error instanceof ResponseError) return error;
    if (isOutOfMemory(error)) {
      return workerError('out-of-memory', `Not enough memory to load ${ref.id}: ${messageOf(error)}. Try a smaller dtype (q8 or q4) or a smaller model.`);
    }
    if (!isMissingModel(error)) return workerError('failed', `Could not load ${ref.id}: ${messageOf(error)}`);
    const settings = this.requireSettings();
    if (isAbsolute(ref.id)) {
      return workerError('model-missing', `The model folder ${ref.id} is missing files the ${ref.task} model needs${filesOf(ref)}: ${messageOf(error)}`);
    }
    const folders = [settings.localModelPath ? join(settings.localModelPath, ref.id) : undefined, join(settings.cacheDir, ref.id)].filter(Boolean);
    const how = settings.allowRemoteModels
      ? 'It could not be downloaded from the Hugging Face hub (no connection?). Connect once to download it, or'
      : 'Downloads are off (imageCaptioner.local.allowDownloads). Turn them on to download it once, or';
    return workerError(
      'model-missing',
      `Model ${ref.id} is not available on this machine: checked ${folders.join(' and ')}. ${how} copy its files into ` +
        `${settings.localModelPath ? join(settings.localModelPath, ref.id) : '<folder>/' + ref.id} (setting imageCaptioner.local.modelsFolder). ` +
        `(${messageOf(error)})`,
    );
  }

  private requireSettings(): WorkerSettings {
    if (!this.settings) throw workerError('failed', 'The worker was not configured');
    return this.settings;
  }
}

/**
 * Why a model id can be neither a hub id nor an absolute folder, or undefined. A relative id is
 * joined to the cache and models folders: `../x` or `a/../../b` would reach outside them.
 */
export function modelIdProblem(id: string): string | undefined {
  if (isAbsolute(id)) return undefined;
  if (/^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/.test(id) && !id.split('/').some((part) => part.includes('..'))) return undefined;
  return `"${id.slice(0, 200)}" is neither a Hugging Face hub id (org/name) nor an absolute folder`;
}

/** One key per loaded copy of a model: task, id and dtype (what is cached per model uses it too). */
export function modelKey(ref: ModelRef): string {
  return `${ref.task}\n${ref.id}\n${ref.dtype ?? ''}`;
}

/** The files a model's folder must hold, where they are few and fixed (a WD tagger's). */
function filesOf(ref: ModelRef): string {
  return ref.task === 'wd-tagger' ? ' (model.onnx and selected_tags.csv)' : '';
}

/** Whether loading failed because the model is not there (offline, no such id, a hub's 404); a 404 is the status, never a port or a name that holds the digits. */
function isMissingModel(error: unknown): boolean {
  return /not found locally|local_files_only|could not locate|file was not found|fetch failed|ENOTFOUND|ECONNREFUSED|EAI_AGAIN|Unauthorized access|answered 404\b|\b404 Not Found|no such file|ENOENT/i.test(
    messageOf(error),
  );
}

function withTrailingSlash(folder: string): string {
  return folder.endsWith('/') || folder.endsWith('\\') ? folder : `${folder}/`;
}

/** The folder of onnxruntime-node's native binding for this platform, if it can be found. */
function bindingFolder(): string | undefined {
  try {
    const entry = require.resolve('onnxruntime-node');
    const folder = join(dirname(entry), '..', 'bin', 'napi-v6', process.platform, process.arch);
    return existsSync(folder) ? folder : undefined;
  } catch {
    return undefined;
  }
}

/** The models holding onnxruntime sessions in a loaded transformers.js model. */
function sessionsOf(loaded: Exclude<LoadedModel, LoadedTagger>): Model[] {
  switch (loaded.task) {
    case 'feature-extraction':
    case 'image-feature-extraction':
      return [loaded.extractor.model];
    case 'clip':
      return [loaded.textModel, loaded.visionModel];
    default:
      return [loaded.model];
  }
}
