import * as vscode from 'vscode';
import * as path from 'node:path';
import { mergeCaption } from '../core/captioning/captionMerge';
import { formatTags } from '../core/edits/tagList';
import { mergeTagsIntoCaption } from '../core/tagging/tagMerge';
import { tagNames } from '../core/tagging/tagSelection';
import { isTagger } from '../providers/local/localTagger';
import { RegionsSidecarKeptError } from '../core/regions/groundingSidecar';
import type { GeneratedCaption } from '../providers/captionPipeline';
import type { ModelEntry } from '../providers/types';
import { ProviderError } from '../providers/types';
import type { CaptioningService } from '../services/captioningService';
import type { CaptionDocument } from './captionDocument';
import type { CandidateUpdate, ModelChoice, ToWebviewMessage } from './protocol/captionEditorMessages';
import { showWarning } from '../services/notifications';

/** Set once a generated caption was kept in this window. */
export const CANDIDATE_KEPT_CONTEXT = 'imageCaptioner.candidateKept';

/** Streaming deltas are sent to the webview at most this often. */
const STREAM_FLUSH_MS = 50;

interface Candidate {
  readonly update: CandidateUpdate;
  /** The registry model that generated it; absent for a candidate delivered from elsewhere (fused regions). */
  readonly model?: ModelEntry;
  readonly result?: GeneratedCaption;
}


/**
 * "Generate" and "Compare Models" in one caption editor: runs the models on the image, streams
 * their answers as candidates, and applies the one the user keeps as an undoable edit.
 */
export class CaptionGenerationController implements vscode.Disposable {
  private readonly candidates = new Map<string, Candidate>();
  private running?: AbortController;
  private nextId = 1;

  constructor(
    private readonly doc: CaptionDocument,
    private readonly captioning: CaptioningService,
    private readonly post: (message: ToWebviewMessage) => void,
    /** Applies a whole new caption text as one undo step. */
    private readonly applyText: (text: string) => Promise<void>,
  ) {}

  modelChoices(): { models: ModelChoice[]; selected?: string; canSend: boolean } {
    const registry = this.captioning.registry;
    return {
      models: registry.captionModels().map((m) => ({ id: m.id, label: m.label, service: registry.service(m) })),
      selected: registry.selected()?.id,
      canSend: vscode.workspace.isTrusted,
    };
  }

  async selectModel(id: string): Promise<void> {
    const model = this.captioning.registry.find(id);
    if (model) await this.captioning.registry.select(model);
  }

  /** Runs the given models (or the selected one) side by side on this image. */
  async generate(modelIds?: readonly string[]): Promise<void> {
    const models = modelIds?.length
      ? modelIds.map((id) => this.captioning.registry.find(id)).filter((m): m is ModelEntry => Boolean(m))
      : [await this.captioning.currentModel()].filter((m): m is ModelEntry => Boolean(m));
    if (models.length === 0) return;
    const keys: Array<{ model: ModelEntry; apiKey?: string }> = [];
    for (const model of models) {
      const ready = await this.captioning.prepareToSend(model);
      if (!ready) return;
      keys.push({ model, apiKey: ready.apiKey });
    }
    this.cancel();
    const controller = new AbortController();
    this.running = controller;
    await Promise.all(keys.map(({ model, apiKey }) => this.runOne(model, apiKey, controller.signal)));
    if (this.running === controller) this.running = undefined;
  }

  /** Asks which models to compare, then runs them all. */
  async compare(): Promise<void> {
    const models = await this.captioning.pickModels();
    if (models && models.length > 0) await this.generate(models.map((m) => m.id));
  }

  cancel(): void {
    this.running?.abort();
    this.running = undefined;
  }

  /**
   * Shows a finished caption made elsewhere (regions fused into a caption) as a candidate, kept
   * or discarded like a generated one.
   */
  offer(text: string, modelLabel: string): void {
    const id = `c${this.nextId++}`;
    const update: CandidateUpdate = { id, modelId: modelLabel, modelLabel, state: 'done', text };
    this.candidates.set(id, { update });
    this.post({ type: 'candidate', candidate: update });
  }

  /** Posts every candidate again (a webview that loaded after they arrived). */
  showAll(): void {
    for (const { update } of this.candidates.values()) this.post({ type: 'candidate', candidate: update });
  }

  /** Makes the candidate the caption (or adds it after the caption) in one undoable edit. */
  async keep(id: string, how: 'replace' | 'append'): Promise<void> {
    const candidate = this.candidates.get(id);
    const tags = candidate?.update.state === 'done' ? candidate.update.tags?.map((t) => t.tag) : undefined;
    const kept = tags ? formatTags(tags, '') : candidate?.result?.text ?? (candidate?.model ? undefined : candidate?.update.state === 'done' ? candidate.update.text : undefined);
    if (!candidate || kept === undefined || !this.doc.editable) return;
    // a tagger's tags join the caption's as tags: none twice, the caption's order kept
    const text = how === 'replace' ? kept : tags ? mergeTagsIntoCaption(this.doc.text, tags, 'append') : mergeCaption(this.doc.text, kept, 'append');
    await this.applyText(text);
    // the walkthrough's "caption one image" step completes on it
    void vscode.commands.executeCommand('setContext', CANDIDATE_KEPT_CONTEXT, true);
    if (!candidate.model || !candidate.result) {
      this.discard(id);
      return;
    }
    await this.captioning.storeGrounding(this.doc.uri.fsPath, candidate.model, candidate.result).catch((err) => {
      const why = err instanceof RegionsSidecarKeptError ? `${path.basename(err.file)} was left as it was: it ${err.reason}` : (err as Error).message;
      void showWarning(`The caption was kept, but its grounded regions were not saved (${why}).`);
    });
    this.discard(id);
  }

  /** Drops one tag from a tagger's candidate (a chip clicked away); the candidate is shown again without it. */
  dropTag(id: string, tag: string): void {
    const candidate = this.candidates.get(id);
    if (!candidate?.update.tags) return;
    const tags = candidate.update.tags.filter((t) => t.tag !== tag);
    const update: CandidateUpdate = { ...candidate.update, tags, text: formatTags(tags.map((t) => t.tag), '') };
    this.candidates.set(id, { ...candidate, update });
    this.post({ type: 'candidate', candidate: update });
  }

  discard(id: string): void {
    if (this.candidates.delete(id)) this.post({ type: 'candidateRemoved', id });
  }

  private async runOne(model: ModelEntry, apiKey: string | undefined, signal: AbortSignal): Promise<void> {
    const id = `c${this.nextId++}`;
    const started = Date.now();
    let streamed = '';
    let flushTimer: NodeJS.Timeout | undefined;
    const update = (patch: Partial<CandidateUpdate>, result?: GeneratedCaption): void => {
      const previous = this.candidates.get(id)?.update;
      const next: CandidateUpdate = { id, modelId: model.id, modelLabel: model.label, state: 'running', text: '', ...previous, ...patch };
      this.candidates.set(id, { update: next, model, result });
      this.post({ type: 'candidate', candidate: next });
    };
    update({ state: 'running', text: '' });
    const tagging = isTagger(model) ? this.captioning.tagging : undefined;
    try {
      if (tagging) {
        // one image: a worker request of its own, with the options of imageCaptioner.tagger.*
        const tags = await tagging.tag(this.doc.uri.fsPath, this.doc.boundary, model, tagging.settings().options, signal, 1);
        update({ state: 'done', text: formatTags(tagNames(tags), ''), tags: tags.map(({ tag, score }) => ({ tag, score })), elapsedMs: Date.now() - started });
        return;
      }
      const result = await this.captioning.generate(
        {
          imagePath: this.doc.uri.fsPath,
          model,
          signal,
          // a caption that could not be decoded has no text here: the service reads (and reports) it
          currentCaption: this.doc.unreadableReason === undefined ? this.doc.text : undefined,
          onText: (delta) => {
            streamed += delta;
            flushTimer ??= setTimeout(() => {
              flushTimer = undefined;
              if (this.candidates.get(id)?.update.state === 'running') update({ text: streamed });
            }, STREAM_FLUSH_MS);
          },
        },
        apiKey,
      );
      update({ state: 'done', text: result.text, elapsedMs: Date.now() - started, groundedPhrases: result.entities?.length }, result);
    } catch (err) {
      const cancelled = signal.aborted || (err instanceof ProviderError && err.kind === 'cancelled');
      update({ state: cancelled ? 'cancelled' : 'error', error: cancelled ? undefined : (err as Error).message, elapsedMs: Date.now() - started });
    } finally {
      if (flushTimer) clearTimeout(flushTimer);
    }
  }

  dispose(): void {
    this.cancel();
    this.candidates.clear();
  }
}
