/**
 * What caption lint takes from the rest of the extension: CLIP's tokenizer through the model worker,
 * caption embeddings through the Explore panel's sources (local or hosted, cached by content), the
 * CLIP score view's scoring path, and image hashes. Each says why it cannot run rather than downloading
 * a model or sending anything for a lint: models must already be on this machine, the folder trusted.
 */
import * as vscode from 'vscode';
import { ImageHashes } from '../core/lint/imageHashes';
import { LintSearchRunner } from '../core/lint/lintSearchRunner';
import { isScored } from '../core/embeddings/clipScore';
import { Requests, type ModelRef } from '../worker/protocol';
import type { CaptionLinterDeps } from './captionLinter';
import { ClipScoreService } from './clipScoreService';
import type { DatasetService } from './datasetService';
import type { EmbeddingService } from './embeddingService';
import type { ExploreVectors } from './exploreVectors';
import type { LocalModelService } from './localModelService';
import { LintTokens, localModelFolder } from './lintTokens';

export interface LintServices {
  readonly dataset: DatasetService;
  readonly localModels: LocalModelService;
  readonly embeddings: EmbeddingService;
  readonly vectors: ExploreVectors;
  readonly log: vscode.LogOutputChannel;
  /** dist/lintWorker.js */
  readonly threadPath: string;
}

const UNTRUSTED = 'models do not run in an untrusted folder (trust it to use this rule)';

/** The linter's dependencies, and what must be disposed with it. */
export function lintDependencies(services: LintServices): { readonly deps: CaptionLinterDeps; readonly disposable: vscode.Disposable } {
  const { dataset, localModels, vectors, log } = services;
  const search = new LintSearchRunner(services.threadPath);
  const hashes = new ImageHashes();
  const clip = new ClipScoreService(localModels, services.embeddings, dataset);
  const trusted = (): boolean => vscode.workspace.isTrusted;
  const boundary = () => {
    const value = dataset.index?.boundary;
    if (!value) throw new Error('no dataset folder is open');
    return value;
  };
  /** Why a local model cannot run for a lint: untrusted, or its files are not on this machine (a lint downloads nothing). */
  const localProblem = (model: ModelRef | undefined, setting: string): string | undefined => {
    if (!trusted()) return UNTRUSTED;
    if (!model?.id.trim()) return `no model is set (${setting})`;
    if (!localModelFolder(model.id, localModels.workerSettings(), 'config.json')) return `${model.id} is not on this machine (it is downloaded on first use elsewhere: a CLIP score, the Explore panel)`;
    return undefined;
  };
  const choice = (source: string) => vectors.listSources('captions').find((c) => c.id === source);
  const deps: CaptionLinterDeps = {
    log: (line) => log.info(line),
    tokens: new LintTokens({
      isTrusted: trusted,
      clipModel: () => localModels.clipModel(),
      settings: () => localModels.workerSettings(),
      countTokens: (params, signal) => localModels.request(Requests.countTokens, params, { signal, title: `the tokenizer of ${params.model.id}` }),
    }),
    models: {
      search,
      captionVectorsProblem: (source) => {
        const found = choice(source);
        if (!found || found.source.kind === 'builtin') return `"${source}" is not a caption embedding source (imageCaptioner.lint.nearDuplicateCaptions.embeddings: local:text, local:clip or hosted:<model id>)`;
        if (!found.available) return (found.why ?? 'it is not available').replace(/\.$/, '');
        if (found.source.kind === 'local') return localProblem(localModels.embeddingModels()[found.source.model], `imageCaptioner.local.${found.source.model === 'clip' ? 'clipModel' : 'textEmbeddingModel'}`);
        return undefined;
      },
      captionVectors: (source, texts, signal) => vectors.vectors('captions', choice(source)!.source, texts.map((caption) => ({ imagePath: '', caption })), boundary(), { signal }),
      clipScoreProblem: () => localProblem(localModels.clipModel(), 'imageCaptioner.local.clipModel'),
      clipScores: async (items, signal) => {
        const index = dataset.index;
        if (!index) throw new Error('no dataset folder is open');
        const images = items.map((item) => index.findImage(item.imagePath));
        const run = await clip.score(images.filter((image) => image !== undefined), { signal });
        const byImage = new Map(run.results.map((r) => [r.imagePath, isScored(r) ? r.score : r.error]));
        return items.map((item) => byImage.get(item.imagePath) ?? 'not scored (the caption is blank or the image is gone)');
      },
      imageHashes: (paths, signal) => hashes.hashes(paths, boundary(), { signal }),
    },
  };
  return { deps, disposable: { dispose: () => (search.dispose(), clip.dispose()) } };
}
