/**
 * The Explore panel's embedding sources: which ones can run here and why not, and the vectors of a
 * list of items from one of them as a row-major matrix with per-item failures. Built-in image
 * descriptors, local models through the worker (EmbeddingService) and hosted embedding models
 * (HostedEmbeddings) all cache by content hash, so only what changed is computed again. No vscode:
 * trust, settings and keys come in through ExploreVectorsDeps.
 */
import { EmbeddingCaches } from '../core/embeddings/embeddingCache';
import type { DatasetBoundary } from '../core/files/datasetBoundary';
import { describeImages, type VectorItem } from '../core/images/descriptorBatch';
import { DESCRIPTOR_MODEL_ID } from '../core/images/imageDescriptors';
import type { ModelEntry } from '../providers/types';
import type { ModelRef } from '../worker/protocol';
import type { EmbeddingService } from './embeddingService';
import type { HostedEmbeddings } from './hostedEmbeddings';

export type VectorTarget = 'captions' | 'images';

/** Where vectors come from: built in (no model), a local model by role, or a hosted embedding model by registry id. */
export type VectorSource = { readonly kind: 'builtin' } | { readonly kind: 'local'; readonly model: LocalRole } | { readonly kind: 'hosted'; readonly modelId: string };

/** The local models by what they are for: captions (sentence embeddings), CLIP (both towers), image features. */
export type LocalRole = 'text' | 'clip' | 'imageFeatures';

/** One choice for the panel's source picker. */
export interface SourceChoice {
  /** Stable id: `builtin`, `local:text`, `local:clip`, `local:imageFeatures`, `hosted:<model id>`. */
  readonly id: string;
  readonly label: string;
  readonly source: VectorSource;
  readonly available: boolean;
  /** Why it is not available, in words a user can act on. */
  readonly why?: string;
  /** What it is (the model id, "no download"). */
  readonly detail?: string;
}

export interface VectorsRun {
  readonly signal?: AbortSignal;
  /** Items done so far (cache hits count at once). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** n × dims row-major vectors; a failed item's row is zeros and it is listed in `failed`. */
export interface ExploreVectorsResult {
  readonly dims: number;
  readonly data: Float32Array;
  readonly failed: Array<{ readonly index: number; readonly error: string }>;
}

export interface ExploreVectorsDeps {
  readonly isTrusted: () => boolean;
  readonly local: EmbeddingService;
  readonly hosted: HostedEmbeddings;
  /** The configured local models; undefined where the setting is empty. */
  readonly localModels: () => { readonly [role in LocalRole]?: ModelRef };
  /** The registry's embedding models. */
  readonly embeddingModels: () => readonly ModelEntry[];
  /** Why a hosted model cannot be used now (no key stored; its key would go over plain http), known without waiting. */
  readonly hostedProblem: (model: ModelEntry) => string | undefined;
  /** Brings what hostedProblem knows up to date (keys are read asynchronously). */
  readonly refresh?: () => Promise<void>;
  /** The key for a hosted model, asking the user where needed; undefined: nothing may be sent. */
  readonly prepareToSend: (model: ModelEntry) => Promise<{ readonly apiKey?: string } | undefined>;
  /** Where built-in descriptors are cached (the embeddings folder). */
  readonly cacheFolder: string;
}

/** The run was cancelled (its signal aborted), whatever stage it was in. */
export class VectorsCancelledError extends Error {
  override readonly name = 'VectorsCancelledError';
  constructor() {
    super('Computing the vectors was cancelled');
  }
}

const SETTING: Readonly<Record<LocalRole, string>> = {
  text: 'imageCaptioner.local.textEmbeddingModel',
  clip: 'imageCaptioner.local.clipModel',
  imageFeatures: 'imageCaptioner.local.imageFeatureModel',
};

const UNTRUSTED_LOCAL = 'Local models do not run in an untrusted workspace: trust this folder to use them.';
const UNTRUSTED_HOSTED = 'Nothing is sent from an untrusted workspace: trust this folder to use hosted models.';

export class ExploreVectors {
  private readonly descriptorCaches: EmbeddingCaches;

  constructor(private readonly deps: ExploreVectorsDeps) {
    this.descriptorCaches = new EmbeddingCaches(deps.cacheFolder);
  }

  /** The sources for `target`, each with whether it can run now and why not. */
  listSources(target: VectorTarget): SourceChoice[] {
    const trusted = this.deps.isTrusted();
    const models = this.deps.localModels();
    const local = (role: LocalRole, label: string): SourceChoice => {
      const model = models[role];
      const why = !model ? `No model is set (${SETTING[role]}).` : !trusted ? UNTRUSTED_LOCAL : undefined;
      return { id: `local:${role}`, label, source: { kind: 'local', model: role }, available: !why, why, detail: model?.id };
    };
    const hosted = this.deps
      .embeddingModels()
      .filter((m) => target === 'captions' || m.embedding?.images)
      .map((model): SourceChoice => {
        const why = !trusted ? UNTRUSTED_HOSTED : this.deps.hostedProblem(model);
        return { id: `hosted:${model.id}`, label: model.label, source: { kind: 'hosted', modelId: model.id }, available: !why, why, detail: model.model };
      });
    if (target === 'captions') {
      return [
        { id: 'builtin', label: 'Built in: TF-IDF of the caption words', source: { kind: 'builtin' }, available: true, detail: 'no download' },
        local('text', 'Local: sentence embeddings'),
        local('clip', 'Local: CLIP text (captions in image space)'),
        ...hosted,
      ];
    }
    return [
      { id: 'builtin', label: 'Built in: colour and layout descriptors', source: { kind: 'builtin' }, available: true, detail: 'no download' },
      local('clip', 'Local: CLIP image embeddings'),
      local('imageFeatures', 'Local: image features (ResNet / ViT)'),
      ...hosted,
    ];
  }

  /** listSources after key states are read afresh. */
  async sources(target: VectorTarget): Promise<SourceChoice[]> {
    await this.deps.refresh?.();
    return this.listSources(target);
  }

  /**
   * The vectors of `items` from `source`: captions embed `caption`, images read `imagePath` inside
   * `boundary`. Rejects with VectorsCancelledError when `run.signal` aborts, and with an error that
   * says why when the source cannot run (untrusted, no model, the key refused).
   */
  async vectors(target: VectorTarget, source: VectorSource, items: ReadonlyArray<{ readonly imagePath: string; readonly caption: string }>, boundary: DatasetBoundary, run: VectorsRun = {}): Promise<ExploreVectorsResult> {
    if (run.signal?.aborted) throw new VectorsCancelledError(); // before anything is asked (a key) or read
    try {
      const results = await this.compute(target, source, items, boundary, run);
      if (run.signal?.aborted) throw new VectorsCancelledError();
      return pack(results);
    } catch (err) {
      if (run.signal?.aborted) throw new VectorsCancelledError();
      throw err;
    }
  }

  private async compute(target: VectorTarget, source: VectorSource, items: ReadonlyArray<{ readonly imagePath: string; readonly caption: string }>, boundary: DatasetBoundary, run: VectorsRun): Promise<VectorItem[]> {
    const paths = (): string[] => items.map((item) => item.imagePath);
    const captions = (): string[] => items.map((item) => item.caption);
    const options = { signal: run.signal, onProgress: run.onProgress };
    switch (source.kind) {
      case 'builtin': {
        if (target === 'captions') throw new Error('Built-in caption vectors (TF-IDF) are made by the explore thread: send the captions as texts.');
        const cache = await this.descriptorCaches.get(DESCRIPTOR_MODEL_ID);
        run.onProgress?.(0, items.length);
        return describeImages(paths(), boundary, cache, { signal: run.signal, onProgress: (done) => run.onProgress?.(done, items.length) });
      }
      case 'local': {
        if (!this.deps.isTrusted()) throw new Error(UNTRUSTED_LOCAL);
        const model = this.deps.localModels()[source.model];
        if (!model) throw new Error(`No model is set (${SETTING[source.model]}).`);
        if (target === 'captions') {
          if (source.model === 'imageFeatures') throw new Error('An image feature model embeds images, not captions.');
          return this.deps.local.embedTexts(model, captions(), options);
        }
        if (source.model === 'text') throw new Error('A sentence-embedding model embeds captions, not images.');
        return this.deps.local.embedImages(model, paths(), boundary, options);
      }
      case 'hosted': {
        if (!this.deps.isTrusted()) throw new Error(UNTRUSTED_HOSTED);
        const model = this.deps.embeddingModels().find((m) => m.id === source.modelId);
        if (!model) throw new Error(`No embedding model "${source.modelId}" is known: add it to imageCaptioner.models with "embedding": { … }.`);
        const ready = await this.deps.prepareToSend(model);
        if (!ready) throw new Error(`${model.label}: nothing was sent (no key, or its destination was not approved).`);
        const hostedOptions = { ...options, apiKey: ready.apiKey };
        return target === 'captions' ? this.deps.hosted.embedTexts(model, captions(), hostedOptions) : this.deps.hosted.embedImages(model, paths(), boundary, hostedOptions);
      }
    }
  }
}

/** One matrix: every vector of the first length seen; anything else is a failed row of zeros. */
function pack(results: readonly VectorItem[]): ExploreVectorsResult {
  const first = results.find((r): r is Extract<VectorItem, { ok: true }> => r?.ok === true);
  const dims = first?.vector.length ?? 0;
  const data = new Float32Array(results.length * dims);
  const failed: Array<{ index: number; error: string }> = [];
  results.forEach((result, index) => {
    if (!result) failed.push({ index, error: 'No vector was computed' });
    else if (!result.ok) failed.push({ index, error: result.error });
    else if (result.vector.length !== dims) failed.push({ index, error: `A vector of ${result.vector.length} values among vectors of ${dims}` });
    else data.set(result.vector, index * dims);
  });
  return { dims, data, failed };
}
