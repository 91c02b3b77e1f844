import * as path from 'node:path';
import * as vscode from 'vscode';
import { packTexts } from './protocol/packedTexts';
import type { ImageEntry } from '../core/dataset/types';
import type { ExploreVectors } from '../services/exploreVectors';
import type { RatingsService } from '../services/ratingsService';
import { CAPTION_EDITOR_VIEW_TYPE } from './captionEditorViewType';
import { runExploreAction, type ActionDeps } from './exploreActions';
import { saveExploreCaption, type CaptionSaveDeps } from './exploreCaptionSave';
import type { ComputedLayout, ExploreComputation } from './exploreComputation';
import { resolveScope, type ScopeSources } from './exploreScope';
import { ExploreCaptionSync } from './exploreCaptionSync';
import { relPathOf } from './exploreItems';
import type { ExploreSettings, FromExploreWebview, SourceChoice, ToExploreWebview } from './protocol/exploreMessages';
import { loadWebview } from './webviewLoader';

/** Everything one Explore panel works with; built once in extension.ts. */
export interface ExplorePanelDeps extends ScopeSources {
  readonly extensionUri: vscode.Uri;
  readonly vectors: ExploreVectors;
  readonly computation: ExploreComputation;
  readonly actions: ActionDeps;
  readonly saves: CaptionSaveDeps;
  /** The stop words the panel starts from (the English list plus the setting's). */
  readonly stopWords: () => readonly string[];
  readonly setStopWords: (words: readonly string[]) => Promise<void>;
  readonly log: vscode.LogOutputChannel;
  /** The dataset's star ratings (the filter's `rating` terms and the cards' stars). */
  readonly ratings: Pick<RatingsService, 'ratingOf' | 'whenLoaded' | 'onDidChange'>;
}

/** Progress messages at most this often (a stage change always goes). */
const PROGRESS_MS = 100;

type CancelReason = 'cancel' | 'superseded' | 'closed';

/**
 * The host side of one Explore panel: answers the webview's intents (run, Suggest k, cancel, caption
 * edits, open, bulk actions, stop words) and keeps the items of the layout shown, so every later
 * message names an item by its index in that layout.
 */
export class ExplorePanel implements vscode.Disposable {
  private run?: AbortController;
  /** The layout the webview was sent: its messages, and the changes posted to it, name items by their index in it. */
  private shown?: ComputedLayout;
  private readonly sync: ExploreCaptionSync;
  private readonly disposables: vscode.Disposable[] = [];
  /** Caption saves run one at a time, in the order the webview sent them. */
  private saving: Promise<void> = Promise.resolve();
  private initTimer?: NodeJS.Timeout;
  private disposed = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: ExplorePanelDeps,
    /** Settings to run once the webview is ready (a new panel, or a folder picked from a menu). */
    private pendingRun: ExploreSettings | undefined,
  ) {
    panel.webview.options = { enableScripts: true, localResourceRoots: this.resourceRoots() };
    loadWebview(panel, { extensionUri: deps.extensionUri, app: 'explore', title: 'Visualize Dataset', what: 'The Visualize Dataset panel', log: deps.log });
    this.sync = new ExploreCaptionSync(deps.dataset, (index, text) => this.post({ type: 'captionChanged', index, text }));
    this.disposables.push(
      this.sync,
      panel.webview.onDidReceiveMessage((msg: FromExploreWebview) => this.handle(msg)),
      panel.onDidDispose(() => this.dispose()),
      deps.ratings.onDidChange((change) => this.ratingsChanged(change.relPaths)),
      deps.dataset.onDidChangeSecondCaptions((images) => void this.secondCaptionsChanged(images).catch((err: unknown) => deps.log.warn(`Explore: second captions not updated: ${(err as Error).message}`))),
      deps.treeView.onDidChangeSelection(() => this.scheduleInit()),
      deps.tree.onDidChangeTreeData(() => this.scheduleInit()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.scheduleInit()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('imageCaptioner')) this.scheduleInit();
      }),
    );
  }

  /** Runs `settings` (a folder picked in a menu); before the webview is ready, once it is. */
  runWhenReady(settings: ExploreSettings, ready: boolean): void {
    if (ready) void this.start(settings);
    else this.pendingRun = settings;
  }

  /** The layout shown (its items, where it came from), if any. */
  get shownLayout(): ComputedLayout | undefined {
    return this.shown;
  }

  /** The settings of the layout shown, if any. */
  get settings(): ExploreSettings | undefined {
    return this.lastSettings;
  }

  private lastSettings?: ExploreSettings;
  private ready = false;

  /** Whether the webview has said `ready` since it last loaded. */
  get isReady(): boolean {
    return this.ready;
  }

  private handle(msg: FromExploreWebview): void {
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        void this.postInit().then(
          () => {
            const pending = this.pendingRun;
            this.pendingRun = undefined;
            if (pending) void this.start(pending);
          },
          (err: unknown) => this.fail('Visualize Dataset', err),
        );
        return;
      case 'run':
        void this.start(msg.settings);
        return;
      case 'suggestK':
        void this.suggestK(msg.settings, msg.min, msg.max);
        return;
      case 'cancel':
        this.run?.abort('cancel' satisfies CancelReason);
        return;
      case 'editCaption':
        this.saving = this.saving.then(() => this.editCaption(msg.index, msg.text));
        return;
      case 'openImage':
        void this.openImage(msg.index);
        return;
      case 'action':
        void this.action(msg.action, msg.indices);
        return;
      case 'setStopWords':
        void this.deps.setStopWords(msg.words).catch((err: unknown) => this.fail('Could not save the stop words', err));
        return;
    }
  }

  private async postInit(): Promise<void> {
    const { dataset, tree, treeView, scopes, vectors } = this.deps;
    await dataset.whenReady();
    const [captionSources, imageSources] = await Promise.all([vectors.sources('captions'), vectors.sources('images')]);
    const sources: SourceChoice[] = [
      ...captionSources.map((s) => ({ id: s.id, label: s.label, target: 'captions' as const, available: s.available, why: s.why })),
      ...imageSources.map((s) => ({ id: s.id, label: s.label, target: 'images' as const, available: s.available, why: s.why })),
    ];
    const index = dataset.index;
    const folders: string[] = [];
    if (index) {
      const walk = (f: (typeof index)['root']): void => {
        folders.push(f.relPath);
        f.subfolders.forEach(walk);
      };
      walk(index.root);
    }
    const selectionSize = index ? scopes.fromNodes(treeView.selection).images.length : 0;
    this.post({ type: 'init', sources, folders, filterQuery: tree.query, selectionSize, stopWords: this.deps.stopWords(), trusted: vscode.workspace.isTrusted });
  }

  /** The Dataset view's filter or selection changed, or trust or settings did: the pickers are filled again (once things settle). */
  private scheduleInit(): void {
    if (!this.ready) return;
    clearTimeout(this.initTimer);
    this.initTimer = setTimeout(() => void this.postInit().catch((err: unknown) => this.deps.log.warn(`Explore: ${(err as Error).message}`)), 300);
  }

  private async start(settings: ExploreSettings): Promise<void> {
    this.run?.abort('superseded' satisfies CancelReason);
    const controller = new AbortController();
    this.run = controller;
    const signal = controller.signal;
    const started = Date.now();
    try {
      await this.deps.dataset.whenReady();
      const { images, scope } = await resolveScope(settings.scope, this.deps);
      const resolved = { ...settings, scope };
      const index = this.deps.dataset.index!;
      const texts = this.deps.dataset.texts!;
      const computed = await this.deps.computation.layout(resolved, images, texts, index.boundary, { signal, onProgress: this.progressPoster(signal) });
      if (signal.aborted) return;
      this.sync.track(computed.items, index);
      const imageBase = this.panel.webview.asWebviewUri(vscode.Uri.file(index.rootPath)).toString();
      const { editable } = computed.items;
      await this.deps.ratings.whenLoaded();
      const seconds = await this.secondCaptionsOf(computed.items.images, signal);
      const [relPaths, captions] = [await packTexts(computed.items.relPaths), await packTexts(computed.items.captions)];
      const secondCaptions = seconds && (await packTexts(seconds));
      if (signal.aborted) return; // the webview keeps the layout it has, and so does `shown`
      // Stars are read with no await before the post: one changed earlier was posted for the layout the webview had.
      const ratings = Uint8Array.from(computed.items.relPaths, (rel) => this.deps.ratings.ratingOf(rel));
      const posted = Date.now();
      this.post({ type: 'layout', settings: resolved, items: { relPaths, captions, editable, imageBase, ratings, secondCaptions }, layout: computed.layout, fromCache: computed.fromCache, failed: computed.failed });
      this.shown = computed;
      this.lastSettings = resolved;
      if (seconds) this.postMissedSecondCaptions(computed, seconds);
      this.deps.log.info(`Explore: ${computed.layout.count} ${resolved.target} laid out in ${posted - started} ms${computed.fromCache ? ' (from the cache)' : ''}; the layout message took ${Date.now() - posted} ms to post.`);
    } catch (err) {
      this.finishFailed(signal, 'Visualize Dataset', err);
    } finally {
      if (this.run === controller) this.run = undefined;
    }
  }

  /**
   * The items' second captions while the second caption setting is on (the dataset's cache of them,
   * read on first use; one that cannot be read shows as none and is logged). They follow later
   * changes: `secondCaptionsChanged`, and `postMissedSecondCaptions` for those during this read.
   */
  private async secondCaptionsOf(images: readonly ImageEntry[], signal: AbortSignal): Promise<string[] | undefined> {
    const texts = this.deps.dataset.secondTexts;
    if (!texts || !this.deps.dataset.index?.options.secondCaptionExtension) return undefined;
    const failures = await texts.load(images, signal);
    for (const failure of failures) this.deps.log.warn(`Explore: could not read the second caption ${failure.captionPath}: ${failure.message}`);
    return images.map((image) => texts.get(image) ?? '');
  }

  /**
   * A second caption that changed while the layout was prepared was read for the layout the webview
   * had then, or its read was not kept (a forget during it): either way the cache now differs from `sent`.
   */
  private postMissedSecondCaptions(layout: ComputedLayout, sent: readonly string[]): void {
    const texts = this.deps.dataset.secondTexts;
    const missed = texts ? layout.items.images.filter((image, i) => texts.get(image) !== sent[i]) : [];
    if (missed.length > 0) void this.secondCaptionsChanged(missed).catch((err: unknown) => this.deps.log.warn(`Explore: second captions not updated: ${(err as Error).message}`));
  }

  /** Posts the new stars of the layout's items among `relPaths` (undefined: any may have changed). */
  private ratingsChanged(relPaths: readonly string[] | undefined): void {
    const shown = this.shown?.items.relPaths;
    if (!shown) return;
    const wanted = relPaths && new Set(relPaths);
    const indices: number[] = [];
    shown.forEach((rel, i) => (!wanted || wanted.has(rel)) && indices.push(i));
    if (indices.length > 0) this.post({ type: 'ratingsChanged', indices, stars: indices.map((i) => this.deps.ratings.ratingOf(shown[i])) });
  }

  /** Posts the second captions of the layout's items among `images` again (read anew: their files changed). */
  private async secondCaptionsChanged(images: readonly ImageEntry[]): Promise<void> {
    const shown = this.shown;
    const index = this.deps.dataset.index;
    const texts = this.deps.dataset.secondTexts;
    if (!shown || !index || !texts || !index.options.secondCaptionExtension) return;
    const changed = new Map(images.map((image) => [relPathOf(image), image]));
    const indices: number[] = [];
    const entries: ImageEntry[] = [];
    shown.items.relPaths.forEach((rel, i) => {
      const image = changed.get(rel);
      if (!image) return;
      indices.push(i);
      entries.push(image);
    });
    if (indices.length === 0) return;
    const failures = await texts.load(entries);
    for (const failure of failures) this.deps.log.warn(`Explore: could not read the second caption ${failure.captionPath}: ${failure.message}`);
    if (this.shown !== shown) return; // a layout posted since compared its texts with the cache (postMissedSecondCaptions)
    this.post({ type: 'secondCaptionsChanged', indices, texts: entries.map((image) => texts.get(image) ?? '') });
  }

  private async suggestK(settings: ExploreSettings, min: number, max: number): Promise<void> {
    this.run?.abort('superseded' satisfies CancelReason);
    const controller = new AbortController();
    this.run = controller;
    const signal = controller.signal;
    try {
      await this.deps.dataset.whenReady();
      const { images } = await resolveScope(settings.scope, this.deps);
      const index = this.deps.dataset.index!;
      const result = await this.deps.computation.suggestK(settings, { min, max }, images, this.deps.dataset.texts!, index.boundary, { signal, onProgress: this.progressPoster(signal) });
      if (!signal.aborted) this.post({ type: 'kSuggestion', result });
    } catch (err) {
      this.finishFailed(signal, 'Suggest k', err);
    } finally {
      if (this.run === controller) this.run = undefined;
    }
  }

  /** A run that failed or stopped: cancelled by the user, replaced by a newer run (says nothing), or an error. */
  private finishFailed(signal: AbortSignal, what: string, err: unknown): void {
    if (signal.aborted) {
      if (signal.reason === ('cancel' satisfies CancelReason)) this.post({ type: 'cancelled' });
      return;
    }
    this.fail(what, err);
  }

  private fail(what: string, err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.deps.log.error(`Explore: ${what}: ${message}`);
    this.post({ type: 'error', message: `${what}: ${message}` });
  }

  private progressPoster(signal: AbortSignal): (stage: string, done: number, total: number) => void {
    let lastStage = '';
    let lastAt = 0;
    return (stage, done, total) => {
      const now = Date.now();
      if (signal.aborted || (stage === lastStage && now - lastAt < PROGRESS_MS && done < total)) return;
      lastStage = stage;
      lastAt = now;
      this.post({ type: 'progress', stage, done, total });
    };
  }

  /** The image of item `index` of the layout shown, found again in the index (a re-listed folder has new entries). */
  private imageAt(index: number): ImageEntry | undefined {
    const relPath = this.shown?.items.relPaths[index];
    const datasetIndex = this.deps.dataset.index;
    if (relPath === undefined || !datasetIndex) return undefined;
    return datasetIndex.findImage(path.join(datasetIndex.rootPath, ...relPath.split('/')));
  }

  private async editCaption(index: number, text: string): Promise<void> {
    const image = this.imageAt(index);
    if (!image) {
      this.post({ type: 'captionSaveFailed', index, error: 'This image is not in the dataset any more (run the layout again).' });
      return;
    }
    try {
      const saved = await saveExploreCaption(image, text, this.deps.saves);
      this.sync.noteSaved(index, saved);
      this.post({ type: 'captionChanged', index, text: saved });
    } catch (err) {
      this.deps.log.warn(`Explore: could not save the caption of ${image.name}: ${(err as Error).message}`);
      this.post({ type: 'captionSaveFailed', index, error: (err as Error).message });
    }
  }

  private async openImage(index: number): Promise<void> {
    const image = this.imageAt(index);
    const datasetIndex = this.deps.dataset.index;
    if (!image || !datasetIndex) return this.fail('Open image', new Error('This image is not in the dataset any more (run the layout again).'));
    try {
      await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(datasetIndex.imagePath(image)), CAPTION_EDITOR_VIEW_TYPE, { viewColumn: vscode.ViewColumn.Beside });
    } catch (err) {
      this.fail('Open image', err);
    }
  }

  private async action(action: Parameters<typeof runExploreAction>[0], indices: readonly number[]): Promise<void> {
    const items = this.shown?.items;
    const datasetIndex = this.deps.dataset.index;
    if (!items || !datasetIndex) return;
    const relPaths = indices.filter((i) => Number.isInteger(i) && i >= 0 && i < items.relPaths.length).map((i) => items.relPaths[i]);
    const imagePaths = relPaths.map((rel) => path.join(datasetIndex.rootPath, ...rel.split('/')));
    try {
      await runExploreAction(action, imagePaths, relPaths, this.deps.actions);
    } catch (err) {
      this.fail(ACTION_NAMES[action], err);
    }
  }

  private resourceRoots(): vscode.Uri[] {
    const roots = [vscode.Uri.joinPath(this.deps.extensionUri, 'dist'), vscode.Uri.joinPath(this.deps.extensionUri, 'media')];
    const root = this.deps.dataset.rootPath;
    if (root) roots.push(vscode.Uri.file(root));
    return roots;
  }

  private post(message: ToExploreWebview): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.run?.abort('closed' satisfies CancelReason);
    clearTimeout(this.initTimer);
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}

const ACTION_NAMES: Readonly<Record<Parameters<typeof runExploreAction>[0], string>> = {
  showInDatasetView: 'Show in Dataset View',
  findReplace: 'Find/Replace',
  prefixSuffix: 'Prefix/Suffix',
  editTags: 'Edit Tags',
  caption: 'Caption with a Model',
  export: 'Export',
  clipScore: 'CLIP Score',
};
