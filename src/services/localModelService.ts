/**
 * Local models in VS Code: the worker client with the user's settings, trust, the log, and a
 * progress notification while a model downloads. Everything that runs a local model goes through
 * `request`.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RequestType } from 'vscode-jsonrpc';
import { LocalWorkerError, WorkerClient, type RequestOptions } from '../providers/local/workerClient';
import type { LocalCaptionRunner } from '../providers/local/localProvider';
import { DEFAULT_SEGMENTATION_MODEL, type SegmentationBackend } from './segmentationService';
import { Requests, type LocalTask, type ModelRef, type Progress, type WorkerSettings } from '../worker/protocol';
import { withNotificationProgress } from './notifications';
import { clipModelFrom, dtypeFrom, workerSettingsFrom } from '../providers/local/workerSettings';
import { vscodeSettings } from '../generationSettings';
import type { EmbeddingBackend } from './embeddingService';
import { localModelsUnavailable } from '../worker/deviceChoice';

const SECTION = 'imageCaptioner.local';
/** A bare ViT (ImageNet-21k) as transformers.js' image-feature-extraction example uses it. */
export const DEFAULT_IMAGE_FEATURE_MODEL = 'Xenova/vit-base-patch16-224-in21k';

export class LocalModelService implements vscode.Disposable {
  readonly client: WorkerClient;
  private readonly downloads = new Map<string, DownloadNotice>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.client = new WorkerClient({
      workerPath: context.asAbsolutePath(path.join('dist', 'worker.js')),
      settings: () => this.workerSettings(),
      log: (line) => log.info(line),
      idleExitMs: Math.max(0, config().get<number>('idleMinutes', 10)) * 60_000,
    });
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        // The next request starts a worker with the new settings.
        if (event.affectsConfiguration(SECTION)) void this.client.stop();
      }),
    );
  }

  /** Where downloaded models are kept: the extension's global storage. */
  get cacheDir(): string {
    return path.join(this.context.globalStorageUri.fsPath, 'models');
  }

  workerSettings(): WorkerSettings {
    return workerSettingsFrom(vscodeSettings(), this.cacheDir);
  }

  /** The model used for image and caption embeddings (CLIP score, image clustering). */
  clipModel(): ModelRef {
    return clipModelFrom(vscodeSettings());
  }

  /** The model used for caption text embeddings (clustering captions). */
  textEmbeddingModel(): ModelRef {
    return { id: config().get<string>('textEmbeddingModel', 'Xenova/all-MiniLM-L6-v2'), task: 'feature-extraction', dtype: dtypeFrom(vscodeSettings(), 'local.textEmbeddingModelDtype') };
  }

  /** The image-feature model (a ResNet / ViT / DINOv2 ONNX) for image clustering: the seed's image path; undefined when the setting is empty. */
  imageFeatureModel(): ModelRef | undefined {
    const id = config().get<string>('imageFeatureModel', DEFAULT_IMAGE_FEATURE_MODEL).trim();
    return id ? { id, task: 'image-feature-extraction', dtype: dtypeFrom(vscodeSettings(), 'local.imageFeatureModelDtype') } : undefined;
  }

  /** The models the Explore panel embeds with, by role; a role whose setting is empty has none. */
  embeddingModels(): { readonly text?: ModelRef; readonly clip?: ModelRef; readonly imageFeatures?: ModelRef } {
    const text = this.textEmbeddingModel();
    const clip = this.clipModel();
    return { text: text.id.trim() ? text : undefined, clip: clip.id.trim() ? clip : undefined, imageFeatures: this.imageFeatureModel() };
  }

  /** EmbeddingService's way into the worker (trust and download notices included). */
  readonly embeddingBackend: EmbeddingBackend = {
    embedImages: (params, signal) => this.request(Requests.embedImages, params, { signal, title: params.model.id }),
    embedText: (params, signal) => this.request(Requests.embedText, params, { signal, title: params.model.id }),
  };

  /** The SAM model for click-to-segment (setting imageCaptioner.segmentation.model: a hub id or an absolute folder). */
  segmentationModel(): ModelRef {
    const id = vscode.workspace.getConfiguration('imageCaptioner.segmentation').get<string>('model', DEFAULT_SEGMENTATION_MODEL).trim();
    return { id: id || DEFAULT_SEGMENTATION_MODEL, task: 'sam' };
  }

  /** SegmentationService's way into the worker. */
  readonly segmentationBackend: SegmentationBackend = {
    model: () => this.segmentationModel(),
    segment: (params, signal) => this.request(Requests.segment, params, { signal, title: `segmentation model ${params.model.id}` }),
  };

  /** Runs one request in the worker: refused in untrusted workspaces; downloads show progress. */
  async request<P, R>(type: RequestType<P, R, void>, params: Omit<P, 'ticket'>, options: RequestOptions & { readonly title?: string } = {}): Promise<R> {
    if (!vscode.workspace.isTrusted) {
      throw new LocalWorkerError('failed', 'Local models do not run in an untrusted workspace. Trust this folder to use them.');
    }
    // Said before a worker starts: without onnxruntime's binary it would only crash at its first import.
    const unavailable = localModelsUnavailable(process.platform, process.arch);
    if (unavailable) throw new LocalWorkerError('failed', unavailable);
    const modelId = (params as { model?: ModelRef }).model?.id;
    const notice = modelId ? this.downloadNotice(modelId, options.title ?? modelId) : undefined;
    try {
      return await this.client.request(type, params as never, {
        ...options,
        onProgress: (progress: Progress) => {
          if (progress.kind === 'download') notice?.report(progress);
          options.onProgress?.(progress);
        },
      });
    } finally {
      notice?.release();
    }
  }

  /** The caption provider's way into the worker. */
  readonly captionRunner: LocalCaptionRunner = (params, options) => this.request(Requests.caption, params, { ...options, title: options.model.label });

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    for (const notice of this.downloads.values()) notice.close();
    void this.client.dispose();
  }

  /** One notification per model being downloaded, shared by the requests waiting for it. */
  private downloadNotice(modelId: string, title: string): DownloadNotice {
    let notice = this.downloads.get(modelId);
    if (!notice) {
      notice = new DownloadNotice(title, () => this.downloads.delete(modelId), this.log);
      this.downloads.set(modelId, notice);
    }
    notice.users += 1;
    return notice;
  }
}

/** Opens a progress notification on the first downloaded byte; closes when its last request ends. */
class DownloadNotice {
  users = 0;
  private readonly files = new Map<string, { loaded: number; total: number }>();
  private progress: vscode.Progress<{ message?: string; increment?: number }> | undefined;
  private finish: (() => void) | undefined;
  /** Set when the requests ended before the notification's callback ran: it then closes at once. */
  private closed = false;
  private reportedPercent = 0;
  private opened = false;

  constructor(
    private readonly title: string,
    private readonly onClosed: () => void,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  report(event: Extract<Progress, { kind: 'download' }>): void {
    const known = this.files.get(event.file);
    if (!known) this.log.info(`Downloading ${event.file} of ${this.title} (${formatBytes(event.total)})`);
    this.files.set(event.file, { loaded: event.loaded, total: event.total });
    if (!this.opened) this.open();
    let loaded = 0;
    let total = 0;
    for (const file of this.files.values()) {
      loaded += file.loaded;
      total += file.total;
    }
    const percent = total ? Math.floor((100 * loaded) / total) : 0;
    this.progress?.report({ message: `${event.file}: ${formatBytes(loaded)} of ${formatBytes(total)}`, increment: Math.max(0, percent - this.reportedPercent) });
    this.reportedPercent = Math.max(this.reportedPercent, percent);
  }

  release(): void {
    this.users -= 1;
    if (this.users <= 0) this.close();
  }

  close(): void {
    this.closed = true;
    this.finish?.();
    this.finish = undefined;
    this.onClosed();
  }

  private open(): void {
    this.opened = true;
    // Only real downloads (bytes from the hub) open the notification; files read from disk finish at once.
    void withNotificationProgress({ title: `Downloading ${this.title}` }, (progress) => {
      this.progress = progress;
      return new Promise<void>((resolve) => {
        if (this.closed) resolve();
        else this.finish = resolve;
      });
    });
  }
}

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${Math.round(bytes / 1e3)} KB`;
}

export type { LocalTask };
