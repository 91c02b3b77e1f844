import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImageEntry } from '../core/dataset/types';
import type { SharedTags } from '../core/tagging/sharedTags';
import type { TagSuggestion } from '../core/tagging/tagCompletion';
import type { TagRuleFix, TagRuleProblem } from '../core/tagging/tagRuleCheck';
import type { BulkEditRunner, EditOutcome } from '../commands/bulkEditRun';
import type { GallerySelection } from '../services/gallerySelection';
import type { ImagePreviews } from '../services/imagePreviews';
import type { RatingsService } from '../services/ratingsService';
import { showInformation } from '../services/notifications';
import { CAPTION_EDITOR_VIEW_TYPE } from './captionEditorViewType';
import { CaptionTagRules } from './captionTagRules';
import { runExploreAction, type ActionDeps } from './exploreActions';
import { relPathOf } from './exploreItems';
import { resolveScope, scopeTitle, type ScopeSources } from './exploreScope';
import { galleryProblems, marksInSlices, ruleFixesOf, ruleNote } from './galleryRuleMarks';
import { selectionPaneInSlices } from './gallerySharedPane';
import { planSharedTagAction } from './galleryTagActions';
import type { ExploreScope } from './protocol/exploreMessages';
import type { FromGalleryWebview, GalleryBulkCommand, GalleryCaptionTarget, SharedTagAction, ToGalleryWebview } from './protocol/galleryMessages';
import { packTexts } from './protocol/packedTexts';
import { loadWebview } from './webviewLoader';
import { askNewName, pickRuleFix } from './galleryQuestions';
import { galleryCaptionTexts } from './galleryCaptionTexts';

/** Everything a Gallery panel works with; built once in extension.ts. */
export interface GalleryPanelDeps extends ScopeSources {
  readonly extensionUri: vscode.Uri;
  readonly edits: BulkEditRunner;
  readonly selection: GallerySelection;
  readonly previews: ImagePreviews;
  readonly actions: ActionDeps;
  readonly log: vscode.LogOutputChannel;
  /** Autocomplete for the shared-tags input (the caption editor's: the dataset's tags and the booru list). */
  readonly suggestTags: (typed: string, exclude: readonly string[]) => Promise<readonly TagSuggestion[]>;
  /** The stars the cards show (rated with the digit keys). */
  readonly ratings: Pick<RatingsService, 'ratingOf' | 'whenLoaded' | 'onDidChange'>;
}

/** The commands of other streams the gallery's keys run (ratings, trash); absent ones say so. */
export const RATE_COMMAND = 'imageCaptioner.rateImages';
export const TRASH_COMMAND = 'imageCaptioner.trashImages';

/** Formats the webview shows through a PNG preview (ImagePreviews makes them). */
const NEEDS_PREVIEW = /\.tiff?$/i;
/** Dataset changes settle this long before the items are compared again. */
const REFRESH_MS = 200;

/**
 * The host side of one Gallery panel: sends the images of its scope (packed), keeps the webview's
 * selection (shared with the scope picker), answers it with the shared-tags pane, and runs the
 * pane's edits, the rating and trash keys and the bulk commands on the selection.
 */
export class GalleryPanel implements vscode.Disposable {
  private images: readonly ImageEntry[] = [];
  private relPaths: string[] = [];
  /** The texts the cards show (null: the file could not be read, left out of the pane). */
  private captions: Array<string | null> = [];
  /** Each item's banned and missing required tags (undefined: none), from the tag rules. */
  private problems: (TagRuleProblem[] | undefined)[] = [];
  private readonly tagRules: CaptionTagRules;
  /** Which caption the cards show and the pane edits. */
  private target: GalleryCaptionTarget;
  private selected: Uint32Array = new Uint32Array(0);
  private revision = 0;
  private lastShared?: SharedTags;
  /** Counts pane computations; one that sees a newer number stops (a newer selection supersedes it). */
  private paneGeneration = 0;
  /** Relative paths to select when the items first go (a panel brought back after a reload). */
  private restoreSelection?: ReadonlySet<string>;
  private refreshTimer?: NodeJS.Timeout;
  private ready = false;
  private disposed = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: GalleryPanelDeps,
    private scope: ExploreScope,
    /** The selection a revived panel had (relative paths). */
    restoreSelection?: readonly string[],
    target: GalleryCaptionTarget = 'caption',
  ) {
    this.target = target;
    this.restoreSelection = restoreSelection && new Set(restoreSelection);
    panel.webview.options = { enableScripts: true, localResourceRoots: this.resourceRoots() };
    loadWebview(panel, { extensionUri: deps.extensionUri, app: 'gallery', title: 'Gallery', what: 'The Gallery', log: deps.log });
    // new rules mark other cards: the items go again (the selection stays)
    this.tagRules = new CaptionTagRules(deps.dataset, () => this.ready && void this.sendItems().catch((err: unknown) => this.fail('Gallery', err)));
    this.disposables.push(
      this.tagRules,
      panel.webview.onDidReceiveMessage((msg: FromGalleryWebview) => this.handle(msg)),
      panel.onDidDispose(() => this.dispose()),
      deps.dataset.onDidChange(() => this.scheduleRefresh()),
      deps.dataset.onDidChangeSecondCaptions(() => this.target === 'second' && this.scheduleRefresh()),
      deps.ratings.onDidChange((change) => this.ratingsChanged(change.relPaths)),
    );
  }

  /** The relative paths shown, in order (tests read them). */
  get shownRelPaths(): readonly string[] {
    return this.relPaths;
  }

  /** The selected images' relative paths. */
  get selectedRelPaths(): string[] {
    return Array.from(this.selected, (i) => this.relPaths[i]);
  }

  /** The shared-tags pane last sent to the webview, if any. */
  get shared(): SharedTags | undefined {
    return this.lastShared;
  }

  /** Whether the webview has said `ready` and received its items. */
  get isReady(): boolean {
    return this.ready;
  }

  /** Shows another scope (a folder picked from a menu while the panel is open). */
  show(scope: ExploreScope): void {
    this.scope = scope;
    if (this.ready) void this.sendItems(false).catch((err: unknown) => this.fail('Gallery', err));
  }

  /** Runs a shared-tags action on the selection (the pane's buttons; tests pass `autoApply`). */
  async runTagAction(action: SharedTagAction, autoApply = false, images = this.selectedImages()): Promise<EditOutcome> {
    if (images.length === 0) return { kind: 'failed', message: 'Select images in the gallery first.' };
    const resolved = action.kind === 'rename' && action.to === undefined ? await askNewName(action.from) : action;
    if (!resolved) return { kind: 'declined' };
    const sources = await this.deps.edits.sourcesOf(images, this.target);
    return this.deps.edits.run(() => planSharedTagAction(sources, resolved, (s, fix) => this.tagRules.planFix(s, fix)), autoApply);
  }

  /**
   * A card's rule badge: offers the fixes of that image's caption (remove a banned tag, add a missing
   * required one) and runs the chosen one on that image alone, as the pane's fixes run (planTagRuleFix,
   * preview, one undo step). `choose` picks (a quick pick; tests pass their own).
   */
  async fixCardRules(index: number, choose: (fixes: readonly TagRuleFix[]) => Promise<TagRuleFix | undefined> = pickRuleFix, autoApply = false): Promise<EditOutcome> {
    // an index from the webview is checked, as select() does: only ever one of the items sent (not 'length')
    const problems = Number.isInteger(index) ? this.problems[index] : undefined;
    const dataset = this.deps.dataset.index;
    const relPath = problems && this.relPaths[index];
    // found again in the index, as selectedImages() does (a re-listed folder has new entries)
    const image = relPath === undefined || !dataset ? undefined : dataset.findImage(path.join(dataset.rootPath, ...relPath.split('/')));
    if (!problems || !image) return { kind: 'failed', message: 'This caption breaks no tag rule now.' };
    const fix = await choose(ruleFixesOf(problems));
    if (!fix) return { kind: 'declined' };
    return this.runTagAction({ kind: 'ruleFix', rule: fix.kind, tag: fix.tag }, autoApply, [image]);
  }

  private handle(msg: FromGalleryWebview): void {
    switch (msg.type) {
      case 'ready':
        // a revived panel that showed the second captions checks they are still set
        void (this.target === 'second' ? this.setTarget('second') : this.sendItems()).then(() => (this.ready = true), (err: unknown) => this.fail('Gallery', err));
        return;
      case 'select':
        this.select(msg.revision, msg.indices);
        return;
      case 'open':
        void this.open(msg.index);
        return;
      case 'rate':
        void this.runCurationCommand(RATE_COMMAND, 'Ratings', msg.stars);
        return;
      case 'trash':
        void this.runCurationCommand(TRASH_COMMAND, 'Trash');
        return;
      case 'bulk':
        void this.bulk(msg.command);
        return;
      case 'tagAction':
        void this.runTagAction(msg.action).then(
          (outcome) => this.post({ type: 'actionDone', outcome: outcome.kind }),
          (err: unknown) => {
            this.post({ type: 'actionDone', outcome: 'failed' });
            this.fail('Shared tags', err);
          },
        );
        return;
      case 'preview':
        void this.preview(msg.index);
        return;
      case 'target':
        void this.setTarget(msg.target).catch((err: unknown) => this.fail('Gallery', err));
        return;
      case 'fixRules':
        void this.fixCardRules(msg.index).then(
          (outcome) => outcome.kind === 'failed' && this.fail('Tag rules', new Error(outcome.message)),
          (err: unknown) => this.fail('Tag rules', err),
        );
        return;
      case 'completeTag':
        // the tags every selected caption has already are left out (adding them would change nothing)
        void this.deps.suggestTags(msg.typed, this.lastShared?.all ?? []).then(
          (suggestions) => this.post({ type: 'tagSuggestions', id: msg.id, suggestions }),
          (err: unknown) => this.deps.log.warn(`Gallery: no tag suggestions: ${(err as Error).message}`),
        );
        return;
    }
  }

  /**
   * Resolves the scope, reads its captions and posts them packed with the selection: the images
   * selected before that are still shown stay selected (a webview reloads whenever it was hidden,
   * as it is while a bulk edit's preview covers it; trashed images drop out). A new scope starts empty.
   */
  private async sendItems(keepSelection = true): Promise<void> {
    await this.deps.ratings.whenLoaded();
    const { images, scope } = await resolveScope(this.scope, this.deps);
    this.scope = scope;
    const texts = await this.captionsOf(images);
    const problems = this.tagRules.isEmpty ? new Array<undefined>(images.length).fill(undefined) : await marksInSlices(images.length, (i) => this.problemsOf(images[i], texts[i]));
    // the lists change together, with nothing awaited between (a selection in between would index the old ones)
    const wasSelected = this.restoreSelection ?? (keepSelection ? new Set(this.selectedRelPaths) : new Set<string>());
    this.restoreSelection = undefined;
    this.images = images;
    this.relPaths = images.map(relPathOf);
    this.captions = texts;
    this.problems = problems;
    const selected: number[] = [];
    this.relPaths.forEach((rel, i) => wasSelected.has(rel) && selected.push(i));
    this.select(++this.revision, Uint32Array.from(selected));
    const index = this.deps.dataset.index!;
    const imageBase = this.panel.webview.asWebviewUri(vscode.Uri.file(index.rootPath)).toString();
    const needsPreview = Uint8Array.from(this.relPaths, (rel) => (NEEDS_PREVIEW.test(rel) ? 1 : 0));
    const [relPaths, captions, ruleNotes] = [await packTexts(this.relPaths), await packTexts(this.captions.map((text) => text ?? '')), await packTexts(this.problems.map(ruleNote))];
    // read with nothing awaited before the post: a change made meanwhile was posted for the items the webview had
    const ratings = Uint8Array.from(this.relPaths, (rel) => this.deps.ratings.ratingOf(rel));
    this.panel.title = `Gallery: ${scopeTitle(scope)}`;
    this.post({ type: 'items', title: `${scopeTitle(scope)}: ${images.length.toLocaleString('en-US')} images`, items: { relPaths, captions, needsPreview, imageBase, ruleNotes, ratings }, selected: this.selected, trusted: vscode.workspace.isTrusted, scope, target: this.target, secondCaption: index.options.secondCaptionExtension || undefined });
  }

  /** Posts the new stars of the cards among `relPaths` (undefined: any may have changed). */
  private ratingsChanged(relPaths: readonly string[] | undefined): void {
    if (!this.ready) return;
    const wanted = relPaths && new Set(relPaths);
    const indices: number[] = [];
    this.relPaths.forEach((rel, i) => (!wanted || wanted.has(rel)) && indices.push(i));
    if (indices.length > 0) this.post({ type: 'ratingsChanged', indices, stars: indices.map((i) => this.deps.ratings.ratingOf(this.relPaths[i])) });
  }

  private select(revision: number, indices: ArrayLike<number>): void {
    this.revision = Math.max(this.revision, revision);
    // Indices from the webview are checked: an item index is only ever one of the items sent.
    this.selected = Uint32Array.from(indices).filter((i) => i < this.images.length);
    const index = this.deps.dataset.index;
    this.deps.selection.set(index ? Array.from(this.selected, (i) => index.imagePath(this.images[i])) : []);
    this.postShared();
  }

  /** Computes the pane of the selection in slices and posts it, unless a newer selection or new items came meanwhile. */
  private postShared(): void {
    const generation = ++this.paneGeneration;
    const revision = this.revision;
    const stale = (): boolean => this.disposed || generation !== this.paneGeneration;
    void selectionPaneInSlices(this.selected, this.captions, this.problems, stale).then(
      (pane) => {
        if (!pane) return;
        this.lastShared = pane.tags;
        this.post({ type: 'sharedTags', revision, tags: pane.tags, rules: pane.rules });
      },
      (err: unknown) => this.fail('Shared tags', err),
    );
  }

  /** The tag rules a caption breaks that the gallery marks (none when no rule is set). */
  private problemsOf(image: ImageEntry, caption: string | null): TagRuleProblem[] | undefined {
    const index = this.deps.dataset.index;
    if (this.tagRules.isEmpty || !index || caption === null) return undefined;
    return galleryProblems(this.tagRules.problems(index.imagePath(image), caption));
  }

  /** The selected images as they are in the index now (a re-listed folder has new entries). */
  private selectedImages(): ImageEntry[] {
    const index = this.deps.dataset.index;
    if (!index) return [];
    return Array.from(this.selected, (i) => index.findImage(path.join(index.rootPath, ...this.relPaths[i].split('/')))).filter((img): img is ImageEntry => Boolean(img));
  }

  /** Captions changed or images came and went: changed captions are posted one by one, a changed list is sent again. */
  private scheduleRefresh(): void {
    if (!this.ready) return;
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh().catch((err: unknown) => this.fail('Gallery', err)), REFRESH_MS);
  }

  private async refresh(): Promise<void> {
    if (this.disposed) return;
    const { images } = await resolveScope(this.scope, this.deps).catch(() => ({ images: [] as readonly ImageEntry[] }));
    const relPaths = images.map(relPathOf);
    if (relPaths.length !== this.relPaths.length || relPaths.some((rel, i) => rel !== this.relPaths[i])) return this.sendItems();
    const texts = await this.captionsOf(images);
    this.images = images;
    let selectedChanged = false;
    const selected = new Set(this.selected);
    images.forEach((img, i) => {
      const text = texts[i];
      if (text === this.captions[i]) return;
      this.captions[i] = text;
      this.problems[i] = this.problemsOf(img, text);
      this.post({ type: 'captionChanged', index: i, text: text ?? '', ruleNote: ruleNote(this.problems[i]) });
      selectedChanged ||= selected.has(i);
    });
    if (selectedChanged) this.postShared();
  }

  /** The captions of `images` the gallery shows ('' for none). */
  private captionsOf(images: readonly ImageEntry[]): Promise<Array<string | null>> {
    return galleryCaptionTexts(this.deps.dataset, images, this.target, (message) => this.deps.log.warn(message));
  }

  /** Shows the other caption file (the caption when no second caption extension is set). */
  private async setTarget(target: GalleryCaptionTarget): Promise<void> {
    this.target = target === 'second' && this.deps.dataset.index?.options.secondCaptionExtension ? 'second' : 'caption';
    await this.sendItems();
  }

  private async open(i: number): Promise<void> {
    const image = this.images[i];
    if (!image || !this.deps.dataset.index) return;
    try {
      await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(this.deps.dataset.index.imagePath(image)), CAPTION_EDITOR_VIEW_TYPE, { viewColumn: vscode.ViewColumn.Beside });
    } catch (err) {
      this.fail('Open image', err);
    }
  }

  /** Ratings and trash are commands of their own (RatingsService, TrashService); the gallery hands them the selection's paths. */
  private async runCurationCommand(command: string, what: string, ...extra: unknown[]): Promise<void> {
    const paths = this.deps.selection.imagePaths;
    if (paths.length === 0) return void showInformation(`${what}: select images in the gallery first.`);
    try {
      await vscode.commands.executeCommand(command, [...paths], ...extra);
    } catch (err) {
      this.fail(what, err);
    }
  }

  private async bulk(command: GalleryBulkCommand): Promise<void> {
    const paths = this.deps.selection.imagePaths;
    if (paths.length === 0) return void showInformation('Select images in the gallery first.');
    try {
      await runExploreAction(command, paths, this.selectedRelPaths, this.deps.actions);
    } catch (err) {
      this.fail(BULK_NAMES[command], err);
    }
  }

  /** A PNG preview of an image the webview cannot decode (TIFF), from the extension's preview cache. */
  private async preview(i: number): Promise<void> {
    const image = this.images[i];
    const index = this.deps.dataset.index;
    if (!image || !index) return;
    const probe = await this.deps.previews.probe(index.imagePath(image), index.boundary);
    if (probe.previewPath) this.post({ type: 'previewReady', index: i, src: this.panel.webview.asWebviewUri(vscode.Uri.file(probe.previewPath)).toString() });
    else if (probe.error) this.deps.log.warn(`Gallery: no preview of ${relPathOf(image)}: ${probe.error}`);
  }

  private fail(what: string, err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.deps.log.error(`Gallery: ${what}: ${message}`);
    this.post({ type: 'error', message: `${what}: ${message}` });
  }

  private resourceRoots(): vscode.Uri[] {
    const roots = [vscode.Uri.joinPath(this.deps.extensionUri, 'dist'), vscode.Uri.joinPath(this.deps.extensionUri, 'media'), this.deps.previews.folder];
    const root = this.deps.dataset.rootPath;
    if (root) roots.push(vscode.Uri.file(root));
    return roots;
  }

  private post(message: ToGalleryWebview): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.refreshTimer);
    this.deps.selection.set([]);
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}

const BULK_NAMES: Readonly<Record<GalleryBulkCommand, string>> = { editTags: 'Edit Tags', findReplace: 'Find/Replace', caption: 'Caption with a Model' };
