import * as vscode from 'vscode';
import * as path from 'node:path';
import { RegionsSidecarKeptError, saveGroundedRegions } from '../core/regions/groundingSidecar';
import { regionsPathFor } from '../core/regions/regionsSidecar';
import { readGenerationSettings } from '../generationSettings';
import { ApiKeys } from '../providers/apiKeys';
import type { GeneratedCaption } from '../providers/captionPipeline';
import { requestCaption } from '../providers/captionRequest';
import { ModelRegistry } from '../providers/modelRegistry';
import { ProviderFactory } from '../providers/providerFactory';
import { KeySource, ModelEntry, ProviderError } from '../providers/types';
import { DatasetService } from './datasetService';
import type { TaggingService } from './taggingService';
import { isTagger } from '../providers/local/localTagger';
import type { KeyDestinationGate } from './keyDestinationGate';
import { showError } from './notifications';
import { modelPickRows } from './modelPickList';
import { inputMessageText } from './plainText';
import { explainUntrusted } from './workspaceTrust';
import { ConnectionTestResult, testModelConnection } from '../providers/connectionTest';

export interface GenerateRequest {
  readonly imagePath: string;
  readonly model: ModelEntry;
  readonly signal?: AbortSignal;
  readonly onText?: (delta: string) => void;
  /** The caption as currently edited (for `{caption}` / `{tags}`), when it differs from the file. */
  readonly currentCaption?: string;
}

/** Everything between "caption this image with that model" and a clean caption: trust, keys, settings, logging. */
export class CaptioningService {
  /** True when an image's regions are open with unsaved changes: grounded boxes are not written under them. */
  isRegionsProtected?: (regionsPath: string) => boolean;
  /** WD taggers, set by the composition root: a tagger picked in the caption editor answers with tags. */
  tagging?: TaggingService;

  constructor(
    readonly registry: ModelRegistry,
    readonly keys: ApiKeys,
    /** Where keys may go: their own hosts, and origins the user approved. */
    readonly keyGate: KeyDestinationGate,
    private readonly factory: ProviderFactory,
    private readonly dataset: DatasetService,
    readonly log: vscode.LogOutputChannel,
  ) {}

  /** Asks for a model (the remembered one first); remembers the choice for this workspace. */
  async pickModel(title = vscode.l10n.t('Caption with which model?')): Promise<ModelEntry | undefined> {
    const picked = await vscode.window.showQuickPick(this.modelItems(), { title, matchOnDescription: true, matchOnDetail: true });
    if (!picked?.model) return undefined;
    await this.registry.select(picked.model);
    return picked.model;
  }

  /** Several models at once, for comparing them on one image; `withTaggers` false leaves WD taggers out (they answer no prompt). */
  async pickModels(withTaggers = true): Promise<ModelEntry[] | undefined> {
    const items = (await this.modelItems()).filter((i) => i.model && (withTaggers || !isTagger(i.model)));
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Compare which models? (pick two or more)'), canPickMany: true, matchOnDescription: true });
    return picked?.map((p) => p.model!);
  }

  /** The remembered model, or the user's pick when none is remembered. */
  async currentModel(): Promise<ModelEntry | undefined> {
    return this.registry.selected() ?? this.pickModel();
  }

  /**
   * What the model needs before a request may leave: a trusted workspace, its key, and a destination
   * that key may go to. Asks for a missing key or an unapproved destination; returns undefined (after
   * telling the user why) when the request must not be sent.
   */
  async prepareToSend(model: ModelEntry): Promise<{ apiKey?: string } | undefined> {
    if (!vscode.workspace.isTrusted) {
      void explainUntrusted();
      return undefined;
    }
    const settings = readGenerationSettings();
    if (settings.paramsError) {
      void showError(settings.paramsError);
      return undefined;
    }
    if (model.key === 'none') return {};
    if (!(await this.keyGate.allow(model))) return undefined;
    const existing = await this.keys.get(model.key);
    if (existing) return { apiKey: existing };
    const entered = await this.askForKey(model.key, vscode.l10n.t('{0} needs an API key ({1}).', model.label, ApiKeys.label(model.key)));
    return entered ? { apiKey: entered } : undefined;
  }

  async askForKey(keyName: string, prompt?: string): Promise<string | undefined> {
    const value = await vscode.window.showInputBox({
      title: vscode.l10n.t('API key for {0}', ApiKeys.label(keyName)),
      prompt: inputMessageText(`${prompt ?? ''} ${vscode.l10n.t("It is kept in VS Code's secret storage, never in settings.")}`.trim()),
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim().length < 8 ? vscode.l10n.t('This does not look like an API key.') : undefined),
    });
    if (!value) return undefined;
    await this.keys.set(keyName, value);
    return value.trim();
  }

  /** Captions one image; the caller has called prepareToSend for the key. */
  async generate(request: GenerateRequest, apiKey: string | undefined): Promise<GeneratedCaption> {
    const settings = readGenerationSettings();
    const { model, imagePath } = request;
    const index = this.dataset.index;
    const image = index?.findImage(imagePath);
    const captionPath = image && index ? index.captionPath(image) : undefined;
    const boundary = await this.dataset.boundaryFor(imagePath);
    const folder = index?.relativePath(path.dirname(imagePath)) ?? path.basename(path.dirname(imagePath));
    this.log.info(`${model.label} ← ${path.basename(imagePath)}`);
    try {
      const result = await requestCaption({
        imagePath,
        model,
        provider: this.factory.get(model.provider),
        apiKey,
        settings,
        boundary,
        folder,
        captionPath,
        currentCaption: request.currentCaption,
        signal: request.signal,
        onText: request.onText,
      });
      this.log.info(`${model.label} → ${path.basename(imagePath)} in ${result.elapsedMs} ms (${result.image.width}x${result.image.height} ${result.image.mime}${result.image.quality !== undefined ? ` q${result.image.quality}` : ''}, ${result.image.data.length} bytes)`);
      return result;
    } catch (err) {
      if (!(err instanceof ProviderError && err.kind === 'cancelled')) this.log.warn(`${model.label} ✗ ${path.basename(imagePath)}: ${(err as Error).message}`);
      throw err;
    }
  }

  /**
   * One small request to `model` with its key as stored (nothing asked: a missing key is an answer);
   * the caller checks trust and the key's destination first.
   */
  async testConnection(model: ModelEntry, signal?: AbortSignal): Promise<ConnectionTestResult> {
    const settings = readGenerationSettings();
    const apiKey = model.key === 'none' ? undefined : await this.keys.get(model.key);
    this.log.info(`Testing the connection to ${model.label}`);
    const result = await testModelConnection({ model, provider: this.factory.get(model.provider), apiKey, timeoutMs: settings.timeoutMs, uploadAssets: settings.uploadAssets, signal });
    if (result.ok) this.log.info(`${model.label} answered in ${result.latencyMs} ms: ${JSON.stringify(result.reply)}`);
    else this.log.warn(`${model.label}: ${result.problem}: ${result.summary} ${result.detail}`);
    return result;
  }

  /**
   * Keeps a grounded model's phrase boxes in the image's regions sidecar (every other region stays).
   * A sidecar that cannot be used is left as it was: RegionsSidecarKeptError, logged here.
   */
  async storeGrounding(imagePath: string, model: ModelEntry, result: GeneratedCaption): Promise<void> {
    if (!result.entities?.length) return;
    try {
      await saveGroundedRegions(regionsPathFor(imagePath), await this.dataset.boundaryFor(imagePath), result.entities, {
        model: model.id,
        width: result.image.sourceWidth,
        height: result.image.sourceHeight,
        now: new Date(),
      }, this.isRegionsProtected);
    } catch (err) {
      this.log.error(err instanceof RegionsSidecarKeptError ? err.message : `The grounded regions of ${imagePath} were not saved: ${(err as Error).message}`);
      throw err;
    }
  }

  /** The picker's items: the selected model, then the user's own models, then the catalogue; each says where its key comes from. */
  private async modelItems(): Promise<Array<vscode.QuickPickItem & { model?: ModelEntry }>> {
    const models = this.registry.captionModels();
    const sources = new Map<string, Promise<KeySource>>();
    for (const model of models) if (!sources.has(model.key)) sources.set(model.key, this.keys.source(model.key));
    const facts = await Promise.all(
      models.map(async (model) => ({
        model,
        origin: this.registry.origin(model),
        service: this.registry.service(model),
        key: await sources.get(model.key)!,
        keyLabel: ApiKeys.label(model.key),
      })),
    );
    return modelPickRows(facts, this.registry.selected()?.id).map((row) =>
      row.kind === 'separator' ? { label: row.label, kind: vscode.QuickPickItemKind.Separator } : { label: row.label, description: row.description, detail: row.detail, model: row.model },
    );
  }
}
