import * as vscode from 'vscode';
import { splitTags } from '../core/captioning/prompts';
import { normalizeTagName } from '../core/tagging/tagCompletion';
import { manageWorkspaceTrust } from '../services/workspaceTrust';
import { textUndoStep } from './textUndoStep';
import * as path from 'node:path';
import { CaptionDocument } from './captionDocument';
import { FromWebviewMessage, TagSuggestion, ToWebviewMessage } from './protocol/captionEditorMessages';
import { loadWebview } from './webviewLoader';
import { DatasetService } from '../services/datasetService';
import { ImagePreviews } from '../services/imagePreviews';
import { readIndexOptions } from '../settings';
import { writeCaption } from '../core/captions/captionStore';
import { sidecarPath } from '../core/dataset/sidecars';
import { collisionText } from '../core/dataset/collisionText';
import { DatasetBoundary } from '../core/files/datasetBoundary';
import { captionInfo, datasetPosition, describeImage } from './captionEditorState';
import { CaptionGenerationController } from './captionGenerationController';
import { CAPTION_EDITOR_VIEW_TYPE } from './captionEditorViewType';
import { CaptioningService } from '../services/captioningService';
import { showError } from '../services/notifications';
import { CaptionTagRules } from './captionTagRules';
import { secondBackupOf, SecondCaptionFields } from './secondCaptionFields';
import { readCaptionBackup, writeCaptionBackup } from './captionBackups';
import type { RatingsService } from '../services/ratingsService';

/** Keystrokes closer together than this form one undo step, as typing does in a text editor. */
const TYPING_BURST_MS = 1000;

/**
 * The caption editor: an image with its caption beside it. VS Code owns the undo stack and the
 * dirty state; the caption's TextDocument owns the text.
 */
export class CaptionEditorProvider implements vscode.CustomEditorProvider<CaptionDocument> {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.CustomDocumentEditEvent<CaptionDocument>>();
  readonly onDidChangeCustomDocument = this.changeEmitter.event;
  private readonly panels = new Map<CaptionDocument, vscode.WebviewPanel>();
  private readonly bursts = new WeakMap<CaptionDocument, { lastEdit: number }>();
  private readonly generators = new Map<CaptionDocument, CaptionGenerationController>();
  private activeDoc?: CaptionDocument;
  private readonly tagRules: CaptionTagRules;
  private readonly seconds = new SecondCaptionFields(
    { post: (d, m) => this.post(d, m), fireEdit: (e) => this.changeEmitter.fire(e), enqueue: (d, w) => this.enqueue(d, w), endCaptionBurst: (d) => this.bursts.delete(d) },
    TYPING_BURST_MS,
  );
  private ratings?: RatingsService;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly dataset: DatasetService,
    private readonly previews: ImagePreviews,
    private readonly captioning: CaptioningService,
  ) {
    this.tagRules = new CaptionTagRules(dataset, () => this.openDocuments().forEach((doc) => this.postTagRuleNotes(doc)));
    context.subscriptions.push(
      this.tagRules,
      dataset.onDidChange(() => {
        this.postPositions();
        this.updateCollisions();
      }),
      captioning.registry.onDidChange(() => this.postModels()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.postModels()),
    );
  }

  /** Shows each image's stars in its editor, kept current as ratings change. */
  useRatings(ratings: RatingsService): void {
    this.ratings = ratings;
    this.context.subscriptions.push(ratings.onDidChange(() => this.panels.forEach((_, doc) => this.postRating(doc))));
  }

  private postRating(doc: CaptionDocument): void {
    const rel = this.dataset.index?.relativePath(doc.uri.fsPath);
    if (this.ratings && rel) this.post(doc, { type: 'rating', stars: this.ratings.ratingOf(rel) });
  }

  /** Generation in the active caption editor: the given models, or the selected one. */
  async generateInActiveEditor(modelIds?: readonly string[]): Promise<void> {
    const doc = this.activeDocument;
    if (doc) await this.generators.get(doc)?.generate(modelIds);
  }

  async compareInActiveEditor(): Promise<void> {
    const doc = this.activeDocument;
    if (doc) await this.generators.get(doc)?.compare();
  }

  /**
   * Puts `text` as a candidate into the caption editor of `imageUri`, opening it beside the
   * active editor when it is not open; kept with Replace or Append as one undo step.
   */
  async offerCandidate(imageUri: vscode.Uri, text: string, modelLabel: string): Promise<void> {
    const find = (): CaptionGenerationController | undefined => {
      const doc = [...this.generators.keys()].find((d) => d.uri.fsPath === imageUri.fsPath);
      return doc && this.generators.get(doc);
    };
    if (!find()) await vscode.commands.executeCommand('vscode.openWith', imageUri, CAPTION_EDITOR_VIEW_TYPE, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
    const generator = find();
    if (!generator) throw new Error(`The caption editor of ${path.basename(imageUri.fsPath)} did not open, so the caption was not offered there.`);
    generator.offer(text, modelLabel);
  }

  /** The caption document of the caption editor that has focus or was last active. */
  get activeDocument(): CaptionDocument | undefined {
    return this.activeDoc && this.panels.has(this.activeDoc) ? this.activeDoc : undefined;
  }

  /** True when the caption file has unsaved changes in a caption editor or any text editor. */
  hasUnsavedCaption(captionPath: string): boolean {
    const inEditor = [...this.panels.keys()].some((doc) => doc.captionUri.fsPath === captionPath && doc.isDirty) || this.seconds.hasUnsaved(captionPath);
    return inEditor || vscode.workspace.textDocuments.some((d) => d.isDirty && d.uri.scheme === 'file' && d.uri.fsPath === captionPath);
  }

  /** The unsaved text of a caption file open in a text editor (the file exists), else undefined. */
  unsavedCaptionText(captionPath: string): string | undefined {
    const doc = vscode.workspace.textDocuments.find((d) => d.isDirty && d.uri.scheme === 'file' && d.uri.fsPath === captionPath);
    return doc?.getText().replace(/\r\n/g, '\n');
  }

  /** The second caption of a caption editor's document (imageCaptioner.secondCaption.extension), if the dataset has one. */
  secondCaptionOf(doc: CaptionDocument): CaptionDocument | undefined {
    return this.seconds.documentOf(doc);
  }

  /** Every caption document open in an editor. */
  openDocuments(): CaptionDocument[] {
    return [...this.panels.keys()];
  }

  async openCustomDocument(uri: vscode.Uri, context: vscode.CustomDocumentOpenContext): Promise<CaptionDocument> {
    await this.dataset.whenReady();
    const index = this.dataset.index;
    const image = index?.findImage(uri.fsPath);
    const captionPath = image && index ? index.captionPath(image) : sidecarPath(uri.fsPath, readIndexOptions().captionExtension);
    const backupUri = context.backupId ? vscode.Uri.parse(context.backupId) : undefined;
    const backup = backupUri ? await readCaptionBackup(backupUri, uri, this.captioning.log) : undefined;
    const doc = await CaptionDocument.open(uri, vscode.Uri.file(captionPath), await this.dataset.boundaryFor(uri.fsPath), this.collisionWarning(uri));
    const secondExtension = index?.options.secondCaptionExtension ?? readIndexOptions().secondCaptionExtension;
    await this.seconds.open(doc, image && index ? index.secondCaptionPath(image) : secondExtension ? sidecarPath(uri.fsPath, secondExtension) : undefined, this.collisionWarning(uri));
    const secondBackup = backupUri && this.seconds.has(doc) ? await readCaptionBackup(secondBackupOf(backupUri), uri, this.captioning.log) : undefined;
    if (secondBackup !== undefined) await this.seconds.restore(doc, secondBackup);
    if (backup !== undefined) await doc.setText(backup);
    doc.onDidChangeText((text) => {
      this.post(doc, { type: 'captionChanged', text });
      this.dataset.noteCaption(uri.fsPath, doc.exists || text ? text : undefined);
      this.postTagRuleNotes(doc);
    });
    return doc;
  }

  async resolveCustomEditor(doc: CaptionDocument, panel: vscode.WebviewPanel): Promise<void> {
    this.panels.set(doc, panel);
    this.activeDoc = doc;
    const roots = [vscode.Uri.joinPath(this.context.extensionUri, 'dist'), vscode.Uri.joinPath(this.context.extensionUri, 'media'), this.previews.folder];
    roots.push(vscode.Uri.file(path.dirname(doc.uri.fsPath)));
    panel.webview.options = { enableScripts: true, localResourceRoots: roots };
    loadWebview(panel, { extensionUri: this.context.extensionUri, app: 'captionEditor', title: path.basename(doc.uri.fsPath), what: `The caption editor of ${path.basename(doc.uri.fsPath)}`, log: this.captioning.log, customEditor: { uri: doc.uri, viewType: CAPTION_EDITOR_VIEW_TYPE } });
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(doc.captionUri.fsPath)), path.basename(doc.captionUri.fsPath)));
    const sync = (): void => this.enqueue(doc, async () => {
      const wasEditable = doc.editable;
      await doc.syncFromDisk();
      if (wasEditable !== doc.editable || !doc.editable) this.post(doc, { type: 'captionInfo', caption: captionInfo(doc) });
    });
    watcher.onDidCreate(sync);
    watcher.onDidChange(sync);
    watcher.onDidDelete(sync);
    panel.onDidChangeViewState(() => {
      if (panel.active) this.activeDoc = doc;
    });
    const generator = new CaptionGenerationController(doc, this.captioning, (m) => this.post(doc, m), (text) => this.applyWholeText(doc, text));
    this.generators.set(doc, generator);
    const secondWatcher = this.seconds.watch(doc);
    let closed = false;
    panel.onDidDispose(() => {
      closed = true;
      watcher.dispose();
      secondWatcher?.dispose();
      generator.dispose();
      this.generators.delete(doc);
      this.panels.delete(doc);
    });
    panel.webview.onDidReceiveMessage((msg: FromWebviewMessage) => {
      // suggestions answer at once, not behind queued edits; a newer request supersedes (the webview keeps the latest id)
      if (msg.type === 'completeTag') void this.completeTag(doc, msg.id, msg.typed);
      // a keystroke still queued when its editor closed (Don't Save) would leave the caption dirty with no editor
      else this.enqueue(doc, async () => (closed ? undefined : this.handle(doc, panel, msg)));
    });
  }

  private readonly queues = new WeakMap<CaptionDocument, Promise<void>>();

  /** Where autocomplete suggestions come from (set by activate). */
  tagCompletion?: { suggest(typed: string, limit?: number, exclude?: readonly string[]): Promise<readonly TagSuggestion[]> };

  private async completeTag(doc: CaptionDocument, id: number, typed: string): Promise<void> {
    try {
      // tags already in the caption are not proposed again (the one being typed is itself a tag of the text)
      const inCaption = splitTags(doc.text).filter((tag) => normalizeTagName(tag) !== normalizeTagName(typed));
      const suggestions = this.tagCompletion ? await this.tagCompletion.suggest(typed, 10, inCaption) : [];
      this.post(doc, { type: 'tagSuggestions', id, suggestions });
    } catch (err) {
      void showError(`Tag autocomplete: ${(err as Error).message}`);
    }
  }

  /** Webview intents are applied one at a time, in the order they were sent. */
  private enqueue(doc: CaptionDocument, work: () => Promise<void>): void {
    this.queued(doc, work).catch((err) => void showError(`Caption editor: ${(err as Error).message}`));
  }

  /** Runs `work` after the intents queued before it; its failure is the caller's, the queue goes on. */
  private queued(doc: CaptionDocument, work: () => Promise<void>): Promise<void> {
    const run = (this.queues.get(doc) ?? Promise.resolve()).then(work);
    this.queues.set(doc, run.catch(() => undefined));
    return run;
  }

  private async handle(doc: CaptionDocument, panel: vscode.WebviewPanel, msg: FromWebviewMessage): Promise<void> {
    switch (msg.type) {
      case 'ready': {
        const image = await describeImage(doc.uri, doc.boundary, panel.webview, this.previews, this.dataset.index);
        const position = datasetPosition(this.dataset.index, doc.uri.fsPath);
        doc.shownText = doc.text;
        this.post(doc, { type: 'init', image, caption: captionInfo(doc), position });
        this.seconds.postInfo(doc);
        this.postTagRuleNotes(doc);
        this.post(doc, { type: 'models', ...this.generators.get(doc)!.modelChoices() });
        // candidates offered while the webview was loading (a fused caption opens the editor)
        this.generators.get(doc)!.showAll();
        void this.ratings?.whenLoaded().then(() => this.postRating(doc));
        return;
      }
      case 'selectModel':
        return this.generators.get(doc)?.selectModel(msg.modelId);
      case 'generate':
        // Not queued: a long generation must not hold back typing; the controller serializes itself.
        void this.generators.get(doc)?.generate(msg.modelIds);
        return;
      case 'compare':
        void this.generators.get(doc)?.compare();
        return;
      case 'cancelGeneration':
        this.generators.get(doc)?.cancel();
        return;
      case 'manageTrust':
        void manageWorkspaceTrust();
        return;
      case 'keepCandidate':
        return this.generators.get(doc)?.keep(msg.id, msg.how);
      case 'discardCandidate':
        this.generators.get(doc)?.discard(msg.id);
        return;
      case 'dropCandidateTag':
        this.generators.get(doc)?.dropTag(msg.id, msg.tag);
        return;
      case 'edit':
        return this.applyEdit(doc, msg.text);
      case 'editSecond':
        return this.seconds.edit(doc, msg.text);
      case 'navigate':
        await vscode.commands.executeCommand(NAVIGATION_COMMANDS[msg.move]);
        return;
      case 'openCaptionAsText':
        await vscode.commands.executeCommand('imageCaptioner.openCaptionAsText', doc.uri);
        return;
      case 'renameImage':
        await vscode.commands.executeCommand('imageCaptioner.renameImage', doc.uri);
        return;
      case 'editRegions':
        await vscode.commands.executeCommand('imageCaptioner.editRegions', doc.uri);
        return;
      case 'completeTag':
        return this.completeTag(doc, msg.id, msg.typed);
      case 'rate':
        await vscode.commands.executeCommand('imageCaptioner.rateImages', { images: [doc.uri], stars: msg.stars });
        return;
      case 'trash':
        await vscode.commands.executeCommand('imageCaptioner.trashImages', { images: [doc.uri] });
        return;
      case 'fixTagRule': {
        const fixed = doc.editable ? this.tagRules.fixed(doc.uri.fsPath, doc.text, msg.index, msg.message) : undefined;
        if (fixed === undefined) return this.postTagRuleNotes(doc); // the note was older than the text: show the current ones
        return this.applyWholeText(doc, fixed);
      }
    }
  }

  private async applyEdit(doc: CaptionDocument, text: string): Promise<void> {
    const before = doc.text;
    if (before === text || !doc.editable) return;
    doc.shownText = text;
    if (!(await doc.setText(text))) return;
    this.dataset.noteCaption(doc.uri.fsPath, text);
    this.postTagRuleNotes(doc);
    const now = Date.now();
    const burst = this.bursts.get(doc);
    if (burst && now - burst.lastEdit < TYPING_BURST_MS) {
      burst.lastEdit = now;
      return;
    }
    const current = { lastEdit: now };
    this.bursts.set(doc, current);
    this.seconds.endBurst(doc);
    this.changeEmitter.fire(textUndoStep(doc, before, 'Edit caption', () => this.bursts.delete(doc)));
  }

  /** A change made by the host (a kept candidate): its own undo step, shown in the webview. */
  private async applyWholeText(doc: CaptionDocument, text: string): Promise<void> {
    this.bursts.delete(doc);
    await this.applyEdit(doc, text);
    this.bursts.delete(doc);
    this.post(doc, { type: 'captionChanged', text });
  }

  async saveCustomDocument(doc: CaptionDocument): Promise<void> {
    this.bursts.delete(doc);
    const existed = doc.exists;
    // With a second caption, an edit of that one alone must not create an empty caption file.
    if (doc.isDirty || !this.seconds.has(doc)) await doc.save();
    await this.seconds.save(doc);
    if (!existed && doc.exists) this.post(doc, { type: 'captionInfo', caption: captionInfo(doc) });
    if (doc.exists) this.dataset.noteCaption(doc.uri.fsPath, doc.text);
  }

  async saveCustomDocumentAs(doc: CaptionDocument, destination: vscode.Uri): Promise<void> {
    // "Save As" on an image copies the image; its caption goes beside the copy.
    await vscode.workspace.fs.copy(doc.uri, destination, { overwrite: true });
    const captionExtension = this.dataset.index?.options.captionExtension ?? readIndexOptions().captionExtension;
    const boundary = await DatasetBoundary.at(path.dirname(destination.fsPath));
    await writeCaption(sidecarPath(destination.fsPath, captionExtension), doc.text, boundary);
    const secondExtension = this.dataset.index?.options.secondCaptionExtension ?? readIndexOptions().secondCaptionExtension;
    await this.seconds.saveAs(doc, secondExtension ? sidecarPath(destination.fsPath, secondExtension) : undefined, boundary);
  }

  async revertCustomDocument(doc: CaptionDocument): Promise<void> {
    // behind the keystrokes already received: one applied after the revert would make the caption dirty again
    return this.queued(doc, async () => {
      this.bursts.delete(doc);
      try {
        await doc.revert();
        await this.seconds.revert(doc);
      } catch (err) {
        this.captioning.log.error(`Could not revert the caption of ${doc.uri.fsPath}: ${(err as Error).message}`);
        throw err;
      }
    });
  }

  async backupCustomDocument(doc: CaptionDocument, context: vscode.CustomDocumentBackupContext): Promise<vscode.CustomDocumentBackup> {
    return writeCaptionBackup(doc, context.destination, this.seconds, this.captioning.log);
  }

  private postTagRuleNotes(doc: CaptionDocument): void {
    this.post(doc, { type: 'tagRuleNotes', notes: this.tagRules.notes(doc.uri.fsPath, doc.text) });
  }

  private post(doc: CaptionDocument, message: ToWebviewMessage): void {
    void this.panels.get(doc)?.webview.postMessage(message);
  }

  /** A renamed image can end a collision (or start one): open editors follow without a reopen. */
  private updateCollisions(): void {
    for (const doc of this.panels.keys()) {
      this.enqueue(doc, async () => {
        if (await doc.setCollision(this.collisionWarning(doc.uri))) this.post(doc, { type: 'captionInfo', caption: captionInfo(doc) });
        await this.seconds.setCollision(doc, this.collisionWarning(doc.uri));
      });
    }
  }

  private collisionWarning(imageUri: vscode.Uri): string | undefined {
    const index = this.dataset.index;
    const image = index?.findImage(imageUri.fsPath);
    if (!index || !image?.collision) return undefined;
    return `${collisionText(index, image)} Rename one of them (Rename Image…) so each has its own caption files; until then its captions are read-only.`;
  }

  private postModels(): void {
    for (const [doc, generator] of this.generators) this.post(doc, { type: 'models', ...generator.modelChoices() });
  }

  private postPositions(): void {
    for (const doc of this.panels.keys()) {
      this.post(doc, { type: 'position', position: datasetPosition(this.dataset.index, doc.uri.fsPath) });
    }
  }
}

const NAVIGATION_COMMANDS = {
  next: 'imageCaptioner.nextImage',
  previous: 'imageCaptioner.previousImage',
  nextUncaptioned: 'imageCaptioner.nextUncaptionedImage',
} as const;
