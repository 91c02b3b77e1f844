import * as vscode from 'vscode';
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { DatasetIndex, deepImages, IndexCancelledError } from '../core/dataset/datasetIndex';
import { CaptionTexts } from '../core/dataset/captionTexts';
import { SecondCaptionTexts } from '../core/dataset/secondCaptionTexts';
import { SidecarOwners } from '../core/dataset/sidecarOwners';
import { isSkippedFolder } from '../core/dataset/folderScan';
import { ImageHealth } from '../core/images/imageHealth';
import { FolderNode, ImageEntry } from '../core/dataset/types';
import { DatasetBoundary } from '../core/files/datasetBoundary';
import { affectsIndex, readIndexSettings, SettingProblem } from '../settings';
import { ChangeBatcher } from './changeBatcher';
import { showError, showWarning } from './notifications';
import { DATASET_VIEW_ID } from '../datasetViewId';

export type DatasetState = 'noFolder' | 'indexing' | 'empty' | 'ready';

/** What changed: only the captions of these images (no listing changed), or, without images, anything. */
export interface DatasetChange {
  readonly images?: readonly ImageEntry[];
}

const ROOT_KEY = 'imageCaptioner.datasetRoot';

/** Owns the dataset index of the open folder: builds it off the UI path, keeps it in step with the disk. */
export class DatasetService implements vscode.Disposable {
  private current?: { index: DatasetIndex; texts: CaptionTexts; seconds: SecondCaptionTexts; health: ImageHealth };
  private building?: AbortController;
  private watcher?: vscode.FileSystemWatcher;
  private readonly batcher = new ChangeBatcher(300, (paths) => this.applyDiskChanges(paths), (err, paths) =>
    this.log.error(`Could not update the dataset after ${paths.length} change(s) on disk: ${(err as Error).message}. Refresh Dataset reads it again.`),
  );
  private readonly changeEmitter = new vscode.EventEmitter<DatasetChange>();
  private readonly diskEmitter = new vscode.EventEmitter<readonly string[]>();
  private readonly secondsEmitter = new vscode.EventEmitter<readonly ImageEntry[]>();
  private readonly disposables: vscode.Disposable[] = [this.changeEmitter, this.diskEmitter, this.secondsEmitter, this.batcher];
  private stateValue: DatasetState = 'noFolder';
  private readyPromise: Promise<void> = Promise.resolve();
  /** The folder being indexed, before its index exists. */
  private pendingRoot?: string;
  /** Set once the first dataset was asked for (see whenReady). */
  private initial?: Promise<void>;
  /** Images whose captions the extension changed since views were last told (see noteCaption). */
  private readonly notedImages = new Set<ImageEntry>();
  private notedTimer?: NodeJS.Timeout;
  private readonly reportedSettings = new Set<string>();

  readonly onDidChange = this.changeEmitter.event;
  /** Fires with the paths the watcher reported outside the trash and hidden folders, once the index took them in. */
  readonly onDidSeeDiskChanges = this.diskEmitter.event;
  /** Fires with the images whose second caption changed on disk (read again from `secondTexts` on demand). */
  readonly onDidChangeSecondCaptions = this.secondsEmitter.event;

  constructor(private readonly workspaceState: vscode.Memento, private readonly log: vscode.LogOutputChannel) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affectsIndex(e) && this.rootPath) void this.open(this.rootPath);
      }),
    );
  }

  get index(): DatasetIndex | undefined {
    return this.current?.index;
  }

  get texts(): CaptionTexts | undefined {
    return this.current?.texts;
  }

  /** The second captions read so far (the filter's `caption2:`, tooltips, the gallery, Explore): one cache, forgotten as their files change. */
  get secondTexts(): SecondCaptionTexts | undefined {
    return this.current?.seconds;
  }

  get health(): ImageHealth | undefined {
    return this.current?.health;
  }

  get state(): DatasetState {
    return this.stateValue;
  }

  get rootPath(): string | undefined {
    return this.current?.index.rootPath ?? this.pendingRoot;
  }

  /**
   * Resolves when the dataset is indexed. The first call opens the remembered or first workspace
   * folder: nothing is walked until a view, an editor or a command needs the dataset.
   */
  async whenReady(): Promise<void> {
    this.initial ??= this.openInitial();
    await this.initial;
    // A folder opened while waiting replaces the build awaited: wait for the newest one.
    for (let awaited; awaited !== this.readyPromise; ) {
      awaited = this.readyPromise;
      await awaited;
    }
  }

  /** Opens the remembered dataset folder, else the first workspace folder. */
  private async openInitial(): Promise<void> {
    if (this.pendingRoot) return; // a folder was opened explicitly meanwhile
    const candidates = [this.workspaceState.get<string>(ROOT_KEY), vscode.workspace.workspaceFolders?.[0]?.uri.fsPath];
    for (const candidate of candidates) {
      if (candidate && (await this.isFolder(candidate))) return this.open(candidate);
    }
    this.setState('noFolder');
  }

  /** Indexes `rootPath` and makes it the dataset; a build in progress is cancelled. */
  open(rootPath: string): Promise<void> {
    this.initial ??= Promise.resolve();
    this.building?.abort();
    const controller = new AbortController();
    this.building = controller;
    this.pendingRoot = rootPath;
    this.setState('indexing');
    this.readyPromise = this.build(rootPath, controller);
    return this.readyPromise;
  }

  private async build(rootPath: string, controller: AbortController): Promise<void> {
    try {
      const { options, problems } = readIndexSettings();
      this.reportSettingProblems(problems);
      const index = await vscode.window.withProgress(
        { location: { viewId: DATASET_VIEW_ID }, title: 'Indexing images' },
        () => DatasetIndex.build(rootPath, options, controller.signal),
      );
      if (controller.signal.aborted) return;
      this.current = { index, texts: new CaptionTexts(index), seconds: new SecondCaptionTexts(index), health: new ImageHealth(index) };
      await this.workspaceState.update(ROOT_KEY, index.rootPath);
      this.watch(index.rootPath);
      this.setState(index.size > 0 ? 'ready' : 'empty');
      this.changeEmitter.fire({});
      void this.loadAllCaptions(controller.signal).catch((err) => {
        this.log.error(`Could not read the captions of ${index.rootPath}: ${(err as Error).message}`);
        void showWarning('Could not read all captions of the dataset: counts and filters may be incomplete until Refresh Dataset.', 'Show Log').then((choice) => {
          if (choice) this.log.show();
        });
      });
    } catch (err) {
      if (err instanceof IndexCancelledError) return;
      this.current = undefined;
      this.setState('noFolder');
      void showError(`Image Captioner could not open ${rootPath}: ${(err as Error).message}`);
    }
  }

  /** A setting that would lead paths astray is replaced by its default: said once per value, the value itself only in the log. */
  private reportSettingProblems(problems: readonly SettingProblem[]): void {
    for (const p of problems) {
      const key = `${p.setting}=${p.value}`;
      if (this.reportedSettings.has(key)) continue;
      this.reportedSettings.add(key);
      this.log.warn(`Setting ${p.setting} = ${p.value} ignored: ${p.reason}; using ${p.usedInstead}.`);
      void showWarning(`The setting ${p.setting} was ignored (${p.reason}); ${p.usedInstead} is used instead. The value is in the Image Captioner log.`);
    }
  }

  /**
   * Where the files of an image may be read and written: the dataset's boundary for its images,
   * else the image's own folder (an image opened on its own is a dataset of one folder).
   */
  async boundaryFor(imagePath: string): Promise<DatasetBoundary> {
    const index = this.index;
    if (index && index.relativePath(imagePath) !== undefined) return index.boundary;
    return DatasetBoundary.at(path.dirname(imagePath));
  }

  /** Reads every caption in the background so counts and filters are exact. */
  private async loadAllCaptions(signal: AbortSignal): Promise<void> {
    const current = this.current;
    if (!current) return;
    await vscode.window.withProgress({ location: { viewId: DATASET_VIEW_ID } }, () =>
      current.texts.load(current.index.images(), signal),
    );
    if (!signal.aborted && this.current === current) this.changeEmitter.fire({});
  }

  /** Re-indexes the open folder from scratch. */
  refresh(): Promise<void> {
    return this.rootPath ? this.open(this.rootPath) : Promise.resolve();
  }

  /** Reads the captions of `images` that have not been read yet. */
  async loadCaptions(images: readonly ImageEntry[]): Promise<void> {
    await this.current?.texts.load(images);
  }

  /** Reads captions and checks image headers of the images about to be shown. */
  async prepareForDisplay(images: readonly ImageEntry[]): Promise<void> {
    await Promise.all([this.current?.texts.load(images), this.current?.health.check(images)]);
  }

  /** Records a caption the extension itself just wrote or edited, so views show it at once. */
  noteCaption(imagePath: string, text: string | undefined): void {
    const image = this.index?.findImage(imagePath);
    if (!image || !this.current) return;
    const before = image.captionState;
    const oldText = this.current.texts.get(image);
    this.current.texts.set(image, text);
    if (before === image.captionState && oldText === text) return;
    // Typing calls this on every keystroke: views are told once per pause, not per key.
    this.notedImages.add(image);
    this.notedTimer ??= setTimeout(() => {
      this.notedTimer = undefined;
      const images = [...this.notedImages];
      this.notedImages.clear();
      this.changeEmitter.fire({ images });
    }, 150);
  }

  private watch(rootPath: string): void {
    this.watcher?.dispose();
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(rootPath), '**/*'));
    const note = (uri: vscode.Uri): void => this.batcher.add(uri.fsPath);
    watcher.onDidCreate(note);
    watcher.onDidDelete(note);
    watcher.onDidChange(note);
    this.watcher = watcher;
  }

  /** Re-lists the folders that changed on disk and forgets the captions that changed. */
  private async applyDiskChanges(paths: readonly string[]): Promise<void> {
    const current = this.current;
    if (!current) return;
    const { index, texts, seconds, health } = current;
    const secondsChanged: ImageEntry[] = [];
    const captionExt = index.options.captionExtension.toLowerCase();
    const secondExt = (index.options.secondCaptionExtension ?? '').toLowerCase();
    const folders = new Map<string, FolderNode>();
    const touched = new Set<string>();
    const captionsChanged: ImageEntry[] = [];
    const seen: string[] = [];
    const owners = new SidecarOwners(index);
    for (const changed of paths) {
      // The trash and hidden folders (the ratings file's) are not part of the dataset: nothing there re-lists it.
      if (insideSkippedFolder(index, changed)) continue;
      seen.push(changed);
      const folder = nearestKnownFolder(index, path.dirname(changed));
      if (!folder) continue;
      touched.add(folder.relPath);
      // Hidden files (the atomic writer's temp files among them) are never images or captions.
      if (path.basename(changed).startsWith('.')) continue;
      const image = index.findImage(changed);
      const isCaption = changed.toLowerCase().endsWith(captionExt);
      // The caption of a known image is looked at again alone: re-listing the folder would replace all
      // of its entries and so read every caption and image header in it again (a batch writes captions
      // several times a second, and the view re-read 1,000 headers after each).
      const captionOf = isCaption ? owners.captionOf(folder, changed) : [];
      for (const img of captionOf) texts.invalidate(img);
      captionsChanged.push(...captionOf);
      if (image) health.forget(image);
      // A second caption (`a.tags.txt`) is no state of the index: an editor open on it watches it itself.
      const secondOf = secondExt !== '' && changed.toLowerCase().endsWith(secondExt) ? owners.secondCaptionOf(folder, changed) : [];
      for (const img of secondOf) seconds.forget(img);
      secondsChanged.push(...secondOf);
      if (captionOf.length === 0 && secondOf.length === 0) folders.set(folder.relPath, folder); // new or deleted images, other files
    }
    const refreshed: FolderNode[] = [];
    for (const folder of folders.values()) {
      const result = await index.refreshFolder(folder.absPath);
      if (result) refreshed.push(result);
    }
    // The folders as the index holds them now (new entries after a re-listing).
    const now = [...touched].map((relPath) => index.folder(relPath)).filter((f): f is FolderNode => f !== undefined);
    // One listing of each other folder with changes catches captions whose own events the watcher
    // dropped: a file created and deleted in quick succession gets none, not even a deletion.
    for (const folder of now) {
      if (folders.has(folder.relPath)) continue;
      const names = await fs.readdir(folder.absPath).catch(() => undefined);
      if (names) captionsChanged.push(...texts.reconcile(folder.images, new Set(names)));
    }
    for (const folder of now) await texts.load(folder.images); // only unread captions are read
    // A re-listing makes new entries for its whole subtree: their captions are read again, or the
    // captions below the folder would stay "not read yet" until someone opened each subfolder.
    for (const folder of refreshed) await texts.load(deepImages(folder));
    if (this.current !== current) return;
    this.setState(index.size > 0 ? 'ready' : 'empty');
    // Views redraw everything after a re-listing, and only the rows of changed captions otherwise.
    if (refreshed.length) this.changeEmitter.fire({});
    else if (captionsChanged.length) this.changeEmitter.fire({ images: [...new Set(captionsChanged)] });
    if (secondsChanged.length) this.secondsEmitter.fire(secondsChanged);
    if (seen.length) this.diskEmitter.fire(seen);
  }

  /** A folder that is gone is not opened; one that cannot be checked is not either, and the log says why. */
  private async isFolder(p: string): Promise<boolean> {
    try {
      return (await fs.stat(p)).isDirectory();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn(`Could not open ${p} as the dataset: ${(err as Error).message}`);
      return false;
    }
  }

  private setState(state: DatasetState): void {
    this.stateValue = state;
    void vscode.commands.executeCommand('setContext', 'imageCaptioner.state', state);
  }

  dispose(): void {
    if (this.notedTimer) clearTimeout(this.notedTimer);
    this.building?.abort();
    this.watcher?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function insideSkippedFolder(index: DatasetIndex, file: string): boolean {
  const rel = index.relativePath(file);
  return rel !== undefined && rel.split('/').slice(0, -1).some(isSkippedFolder);
}

function nearestKnownFolder(index: DatasetIndex, dir: string): FolderNode | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    const folder = index.folderOfPath(d);
    if (folder) return folder;
    if (path.dirname(d) === d || index.relativePath(d) === undefined) return undefined;
  }
}

