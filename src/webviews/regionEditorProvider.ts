import * as vscode from 'vscode';
import { textUndoStep } from './textUndoStep';
import * as path from 'node:path';
import { regionsPathFor } from '../core/dataset/sidecars';
import { addRegions, deleteRegions, EditResult, updateRegion } from '../core/regions/regionEdits';
import { RegionsSidecar, writeRegions } from '../core/regions/regionsSidecar';
import { DatasetBoundary } from '../core/files/datasetBoundary';
import type { DatasetService } from '../services/datasetService';
import type { ImagePreviews } from '../services/imagePreviews';
import { showError } from '../services/notifications';
import type { FromRegionWebviewMessage, RegionReply, RegionRequest, ToRegionWebviewMessage } from './protocol/regionEditorMessages';
import { RegionDocument } from './regionDocument';
import type { RegionEditorServices } from './regionEditorServices';
import { availability, RegionRequests } from './regionRequests';
import { loadWebview } from './webviewLoader';
import { REGION_EDITOR_VIEW_TYPE } from './regionEditorViewType';
import { describeImage } from './captionEditorState';

/** Edits of one region's text closer together than this form one undo step, as typing does. */
const TYPING_BURST_MS = 1000;

/** Puts a caption as a candidate into the caption editor of an image (opened if need be). */
export type OfferCandidate = (imageUri: vscode.Uri, text: string, model: string) => Promise<void>;

/**
 * The region editor: an image with its regions drawn over it and listed beside it. VS Code owns
 * the undo stack and dirty state; the regions sidecar's TextDocument owns the regions.
 */
export class RegionEditorProvider implements vscode.CustomEditorProvider<RegionDocument> {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.CustomDocumentEditEvent<RegionDocument>>();
  readonly onDidChangeCustomDocument = this.changeEmitter.event;
  private readonly panels = new Map<RegionDocument, vscode.WebviewPanel>();
  private readonly requests = new Map<RegionDocument, RegionRequests>();
  /** The services the extension wired in; useServices() with no argument puts them back. */
  private readonly wired: RegionEditorServices;
  private readonly bursts = new WeakMap<RegionDocument, { regionId: string; lastEdit: number }>();
  private readonly queues = new WeakMap<RegionDocument, Promise<void>>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly dataset: DatasetService,
    private readonly previews: ImagePreviews,
    private services: RegionEditorServices,
    private readonly offerCandidate: OfferCandidate,
  ) {
    this.wired = services;
    context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => this.postAvailability()));
  }

  /** Replaces the services (the extension wires the real ones; tests give their own); none given: the wired ones again. */
  useServices(services: RegionEditorServices = this.wired): void {
    this.services = services;
    this.postAvailability();
  }

  /** True when the regions file is open with unsaved changes in a region editor or a text editor (batches and grounding leave it alone then). */
  hasUnsavedRegions(regionsPath: string): boolean {
    const inEditor = [...this.panels.keys()].some((doc) => doc.regionsUri.fsPath === regionsPath && doc.isDirty);
    return inEditor || vscode.workspace.textDocuments.some((d) => d.isDirty && d.uri.scheme === 'file' && d.uri.fsPath === regionsPath);
  }

  /** Every region document open in an editor. */
  openDocuments(): RegionDocument[] {
    return [...this.panels.keys()];
  }

  async openCustomDocument(uri: vscode.Uri, context: vscode.CustomDocumentOpenContext): Promise<RegionDocument> {
    await this.dataset.whenReady();
    const boundary = await this.dataset.boundaryFor(uri.fsPath);
    const probe = await this.previews.probe(uri.fsPath, boundary);
    const doc = await RegionDocument.open(uri, vscode.Uri.file(regionsPathFor(uri.fsPath)), boundary, { width: probe.width ?? 0, height: probe.height ?? 0 });
    // unsaved regions VS Code backed up at hot exit come back as unsaved edits
    if (context.backupId) await doc.setText(Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.parse(context.backupId))).toString('utf8'));
    doc.onDidChange(() => this.post(doc, { type: 'regions', state: doc.state() }));
    return doc;
  }

  async resolveCustomEditor(doc: RegionDocument, panel: vscode.WebviewPanel): Promise<void> {
    this.panels.set(doc, panel);
    const roots = [vscode.Uri.joinPath(this.context.extensionUri, 'dist'), vscode.Uri.joinPath(this.context.extensionUri, 'media'), this.previews.folder, vscode.Uri.file(path.dirname(doc.uri.fsPath))];
    panel.webview.options = { enableScripts: true, localResourceRoots: roots };
    loadWebview(panel, { extensionUri: this.context.extensionUri, app: 'regionEditor', title: `Regions: ${path.basename(doc.uri.fsPath)}`, what: `The region editor of ${path.basename(doc.uri.fsPath)}`, customEditor: { uri: doc.uri, viewType: REGION_EDITOR_VIEW_TYPE } });
    const requests = new RegionRequests({ run: (request, onText, signal) => this.run(doc, request, onText, signal) }, (m) => this.post(doc, m));
    this.requests.set(doc, requests);
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(doc.regionsUri.fsPath)), path.basename(doc.regionsUri.fsPath)));
    const sync = (): void => this.enqueue(doc, () => doc.syncFromDisk());
    watcher.onDidCreate(sync);
    watcher.onDidChange(sync);
    watcher.onDidDelete(sync);
    panel.onDidDispose(() => {
      watcher.dispose();
      requests.dispose();
      this.requests.delete(doc);
      this.panels.delete(doc);
    });
    panel.webview.onDidReceiveMessage((msg: FromRegionWebviewMessage) => {
      // requests run beside the edit queue: a long description must not hold back drawing
      if (msg.type === 'request') requests.start(msg.requestId, msg.request);
      else if (msg.type === 'cancel') requests.cancel(msg.requestId);
      else this.enqueue(doc, () => this.handle(doc, panel, msg));
    });
  }

  /** Webview intents are applied one at a time, in the order they were sent. */
  private enqueue(doc: RegionDocument, work: () => Promise<void>): void {
    const next = (this.queues.get(doc) ?? Promise.resolve()).then(work).catch((err) => {
      void showError(`Region editor: ${(err as Error).message}`);
    });
    this.queues.set(doc, next);
  }

  /** Runs `work` in the document's queue (after the edits sent before it) and gives its result or error to the caller. */
  private queued<T>(doc: RegionDocument, work: () => Promise<T>): Promise<T> {
    const result = (this.queues.get(doc) ?? Promise.resolve()).then(work);
    this.queues.set(doc, result.then(() => undefined, () => undefined));
    return result;
  }

  private async handle(doc: RegionDocument, panel: vscode.WebviewPanel, msg: Exclude<FromRegionWebviewMessage, { type: 'request' | 'cancel' }>): Promise<void> {
    const now = new Date();
    switch (msg.type) {
      case 'ready':
        this.post(doc, { type: 'init', image: await describeImage(doc.uri, doc.boundary, panel.webview, this.previews, this.dataset.index), state: doc.state(), availability: this.availability() });
        return;
      case 'addRegions':
        await this.edit(doc, msg.regions.length === 1 ? 'Add region' : 'Add regions', (s) => addRegions(s, msg.regions, now));
        return;
      case 'updateRegion':
        await this.edit(doc, 'Edit region', (s) => updateRegion(s, msg.region, now), msg.typing ? msg.region.id : undefined);
        return;
      case 'deleteRegions':
        await this.edit(doc, 'Delete regions', (s) => ({ ok: true, sidecar: deleteRegions(s, msg.ids) }));
        return;
      case 'openCaptionEditor':
        await vscode.commands.executeCommand('vscode.openWith', doc.uri, 'imageCaptioner.captionEditor', vscode.ViewColumn.Beside);
        return;
    }
  }

  /**
   * Applies an edit of the sidecar as one undo step (typing in one region's text within a burst
   * joins the step before). A refused edit tells the webview why and shows the regions as they are.
   */
  private async edit(doc: RegionDocument, label: string, change: (sidecar: RegionsSidecar) => EditResult, typingIn?: string): Promise<boolean> {
    if (!doc.editable) {
      this.post(doc, { type: 'notice', message: `Not changed: ${doc.problem?.message ?? 'the regions file is read-only'}` });
      this.post(doc, { type: 'regions', state: doc.state() });
      return false;
    }
    const result = change(doc.sidecar);
    if (!result.ok) {
      this.post(doc, { type: 'notice', message: result.message });
      this.post(doc, { type: 'regions', state: doc.state() });
      return false;
    }
    const before = doc.text;
    if (result.sidecar === doc.sidecar) return true;
    if (!(await doc.setSidecar(result.sidecar))) {
      this.post(doc, { type: 'regions', state: doc.state() });
      return false;
    }
    const now = Date.now();
    const burst = this.bursts.get(doc);
    if (typingIn && burst?.regionId === typingIn && now - burst.lastEdit < TYPING_BURST_MS) {
      burst.lastEdit = now;
      return true;
    }
    if (typingIn) this.bursts.set(doc, { regionId: typingIn, lastEdit: now });
    else this.bursts.delete(doc);
    this.changeEmitter.fire(textUndoStep(doc, before, label, () => this.bursts.delete(doc)));
    return true;
  }

  /** Answers one webview request with the services this editor was given. */
  private async run(doc: RegionDocument, request: RegionRequest, onText: (delta: string) => void, signal: AbortSignal): Promise<RegionReply> {
    const why = this.availability()[request.kind];
    if (why) throw new Error(why);
    const imagePath = doc.uri.fsPath;
    switch (request.kind) {
      case 'segment': {
        const answer = await this.services.segment!(imagePath, request.prompt, signal);
        return { kind: 'segment', ...answer };
      }
      case 'describe': {
        const sidecar = doc.sidecar;
        const region = sidecar.regions.find((r) => r.id === request.regionId);
        if (!region) throw new Error(`There is no region ${request.regionId} any more.`);
        const described = await this.services.describe!({ imagePath, sidecarImage: sidecar.image, region, onText, signal });
        signal.throwIfAborted();
        // written into the region as it is now (it may have been moved meanwhile)
        const written = await this.queued(doc, async () => {
          const current = doc.sidecar.regions.find((r) => r.id === request.regionId);
          return current !== undefined && (await this.edit(doc, 'Describe region', (s) => updateRegion(s, { ...current, description: described.text, model: described.model }, new Date())));
        });
        if (!written) throw new Error(`The description was not written: region ${request.regionId} is gone or the regions file is read-only.`);
        return { kind: 'describe', regionId: request.regionId, text: described.text, model: described.model };
      }
      case 'fuse': {
        // a region without text has nothing to weave in
        const regions = doc.sidecar.regions.filter((r) => r.description.trim() !== '');
        if (regions.length === 0) throw new Error(doc.sidecar.regions.length === 0 ? 'There are no regions to fuse: draw some first.' : 'No region has a description yet: describe them first (Describe All).');
        const fused = await this.services.fuse!({ imagePath, regions, onText, signal });
        signal.throwIfAborted();
        await this.offerCandidate(doc.uri, fused.text, fused.model);
        return { kind: 'fuse', text: fused.text, model: fused.model };
      }
    }
  }

  private availability(): ReturnType<typeof availability> {
    return availability(this.services, vscode.workspace.isTrusted);
  }

  async saveCustomDocument(doc: RegionDocument): Promise<void> {
    this.bursts.delete(doc);
    await doc.save();
    this.post(doc, { type: 'regions', state: doc.state() });
  }

  async saveCustomDocumentAs(doc: RegionDocument, destination: vscode.Uri): Promise<void> {
    // "Save As" on an image copies the image; its regions go beside the copy
    await vscode.workspace.fs.copy(doc.uri, destination, { overwrite: true });
    if (doc.editable) await writeRegions(regionsPathFor(destination.fsPath), doc.sidecar, await DatasetBoundary.at(path.dirname(destination.fsPath)));
  }

  async revertCustomDocument(doc: RegionDocument): Promise<void> {
    this.bursts.delete(doc);
    await doc.revert();
  }

  async backupCustomDocument(doc: RegionDocument, context: vscode.CustomDocumentBackupContext): Promise<vscode.CustomDocumentBackup> {
    await vscode.workspace.fs.writeFile(context.destination, Buffer.from(doc.text, 'utf8'));
    return {
      id: context.destination.toString(),
      // a backup already gone is fine; any other failure is VS Code's to report
      delete: () => vscode.workspace.fs.delete(context.destination).then(undefined, (err: unknown) => {
        if (!(err instanceof vscode.FileSystemError && err.code === 'FileNotFound')) throw err;
      }),
    };
  }

  private post(doc: RegionDocument, message: ToRegionWebviewMessage): void {
    void this.panels.get(doc)?.webview.postMessage(message);
  }

  private postAvailability(): void {
    for (const doc of this.panels.keys()) this.post(doc, { type: 'availability', availability: this.availability() });
  }
}
