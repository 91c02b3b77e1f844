/**
 * WD taggers in VS Code: which tagger the settings choose, the `imageCaptioner.tagger.*` options, trust,
 * and the worker requests (through LocalModelService, which refuses in an untrusted workspace).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DatasetBoundary } from '../core/files/datasetBoundary';
import { taggerSettingsFrom, type TaggerSettings } from '../core/settings/taggerSettings';
import type { ScoredTag, TagOptions } from '../core/tagging/tagSelection';
import { vscodeSettings } from '../generationSettings';
import { isTagger, LocalTagger } from '../providers/local/localTagger';
import type { ModelRegistry } from '../providers/modelRegistry';
import type { ModelEntry } from '../providers/types';
import { Requests } from '../worker/protocol';
import type { LocalModelService } from './localModelService';
import { showWarning } from './notifications';
import { labelText } from './plainText';
import { explainUntrusted } from './workspaceTrust';

export class TaggingService {
  private readonly tagger: LocalTagger;
  /** Settings problems already shown, so one typo is told once per window, not once per image. */
  private readonly told = new Set<string>();

  constructor(
    readonly registry: ModelRegistry,
    local: LocalModelService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.tagger = new LocalTagger(
      (params, options) => local.request(Requests.tag, params, { ...options, title: options.model.label }),
      (model, problems) => log.warn(`${model.label}: rows of selected_tags.csv left out: ${problems.join('; ')}`),
    );
  }

  /** The tagger models of the catalogue and the user's settings. */
  taggers(): ModelEntry[] {
    return this.registry.all().filter(isTagger);
  }

  /** `imageCaptioner.tagger.*`; values that cannot be used are logged and shown once, and their defaults used. */
  settings(): TaggerSettings {
    const settings = taggerSettingsFrom(vscodeSettings());
    for (const problem of settings.problems) {
      if (this.told.has(problem)) continue;
      this.told.add(problem);
      this.log.warn(problem);
      void showWarning(problem);
    }
    return settings;
  }

  /** The tagger `imageCaptioner.tagger.model` names; undefined (after saying so) when no tagger has that id. */
  configuredTagger(): ModelEntry | undefined {
    const id = this.settings().model;
    const model = this.registry.find(id);
    if (isTagger(model)) return model;
    const problem = model
      ? `imageCaptioner.tagger.model names ${model.label}, which is not a WD tagger (its entry needs "local": { "task": "wd-tagger" }).`
      : `imageCaptioner.tagger.model names "${id}", which no model entry has: pick a tagger with "Tag Images with a WD Tagger…", or add it to imageCaptioner.models.`;
    this.log.warn(problem);
    return undefined;
  }

  /** Asks which tagger, the configured one (imageCaptioner.tagger.model) first. */
  async pickTagger(): Promise<ModelEntry | undefined> {
    const current = this.configuredTagger();
    const taggers = this.taggers().sort((a, b) => Number(b.id === current?.id) - Number(a.id === current?.id));
    const picked = await vscode.window.showQuickPick(
      taggers.map((model) => ({ label: labelText(model.label), description: labelText(model.model ?? ''), detail: model.id === current?.id ? 'imageCaptioner.tagger.model' : undefined, model })),
      { title: 'Tag with which WD tagger?', matchOnDescription: true },
    );
    if (!picked) return undefined;
    return picked.model;
  }

  /** The tagger to run: the user's pick when `ask`, else the configured one (asked for when it is not a known tagger); none in an untrusted workspace. */
  async taggerFor(ask: boolean): Promise<ModelEntry | undefined> {
    // the batch commands refuse before their first question; this guards every other caller
    if (!this.canRun()) return undefined;
    return (ask ? undefined : this.configuredTagger()) ?? this.pickTagger();
  }

  /** False (after offering to trust the folder) in an untrusted workspace: no tagger runs there. */
  canRun(): boolean {
    if (vscode.workspace.isTrusted) return true;
    void explainUntrusted(untrustedTaggingMessage());
    return false;
  }

  /**
   * The tags of one image (in written order) with the given options, gathered with other images into
   * batched worker requests. The worker gets the image's real path, checked to lie inside `boundary`.
   */
  async tag(imagePath: string, boundary: DatasetBoundary, model: ModelEntry, options: TagOptions, signal?: AbortSignal, batchSize = this.settings().batchSize): Promise<ScoredTag[]> {
    try {
      return await this.tagger.tag({ imagePath: await boundary.realFile(imagePath), model, options, batchSize, signal });
    } catch (err) {
      if (!signal?.aborted) this.log.warn(`${model.label} ✗ ${path.basename(imagePath)}: ${(err as Error).message}`);
      throw err;
    }
  }
}

/** Why nothing is tagged in an untrusted workspace (the service and the Tag Images command say the same). */
export function untrustedTaggingMessage(): string {
  return vscode.l10n.t('Image Captioner runs no model in an untrusted workspace. Trust this folder to tag images.');
}
