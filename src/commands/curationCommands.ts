import * as vscode from 'vscode';
import * as path from 'node:path';
import { MAX_STARS } from '../core/curation/ratingsFile';
import { TRASH_FOLDER } from '../core/curation/trashPlan';
import { DatasetService } from '../services/datasetService';
import { RatingsService } from '../services/ratingsService';
import { TrashService } from '../services/trashService';
import { showError, showInformation, showWarning } from '../services/notifications';
import { labelText } from '../services/plainText';
import { DatasetTreeNode } from '../views/datasetTreeProvider';
import type { CaptionEditorProvider } from '../webviews/captionEditorProvider';
import { activeImageUri } from './activeImage';
import { ScopePicker } from './scopePicker';

/**
 * What the curation commands act on. Callers (the gallery, tests) pass `images` as file URIs or
 * absolute paths; keybindings pass `source` to say where the user is; with neither, the active
 * image, else the Dataset view's selection.
 */
export interface CurationArgs {
  readonly images?: ReadonlyArray<vscode.Uri | string>;
  /** 0 clears a rating; 1-5 stars (rateImages only). */
  readonly stars?: number;
  readonly source?: 'datasetView' | 'activeImage';
}

export interface CurationDeps {
  readonly dataset: DatasetService;
  readonly ratings: RatingsService;
  readonly trash: TrashService;
  readonly scopes: ScopePicker;
  readonly treeView: vscode.TreeView<DatasetTreeNode>;
  readonly editors: CaptionEditorProvider;
}

/** What Move to Trash reports to a caller: where each image went, and the images left in place with why. */
export interface TrashResult {
  readonly operationId: number;
  readonly moved: ReadonlyArray<{ readonly from: string; readonly to: string }>;
  readonly skipped: ReadonlyArray<{ readonly imagePath: string; readonly reason: string }>;
}

/** Rate Images, Undo Rating, Move to Trash, Restore from Trash, Undo Move to Trash, Empty Trash. */
export function registerCurationCommands(deps: CurationDeps): vscode.Disposable[] {
  const { ratings, trash } = deps;
  return [
    vscode.commands.registerCommand('imageCaptioner.rateImages', async (arg?: unknown, second?: unknown) => {
      const images = await targetImages(deps, arg, second);
      if (images.length === 0) return void showInformation('Select images in the Dataset view or open one in the caption editor to rate it.');
      const given = typeof second === 'number' ? second : isArgs(arg) ? arg.stars : undefined;
      const stars = given ?? (await pickStars(images.length));
      if (stars === undefined) return;
      try {
        await ratings.rate(images, stars);
      } catch (err) {
        void showError((err as Error).message);
        return;
      }
      const what = images.length === 1 ? path.basename(images[0]) : `${images.length} images`;
      // The status bar renders $(icon): a file name is made literal first.
      vscode.window.setStatusBarMessage(labelText(stars === 0 ? `Rating of ${what} cleared` : `${what} rated ${'★'.repeat(stars)}`), 4000);
    }),
    vscode.commands.registerCommand('imageCaptioner.undoRating', async () => {
      try {
        if (!(await ratings.undo())) void showInformation('There is no rating change to undo.');
      } catch (err) {
        void showError((err as Error).message);
      }
    }),
    vscode.commands.registerCommand('imageCaptioner.trashImages', async (arg?: unknown, second?: unknown): Promise<TrashResult | undefined> => {
      const images = await targetImages(deps, arg, second);
      if (images.length === 0) return void showInformation('Select images in the Dataset view or open one in the caption editor to move it to the trash.');
      const operation = await trash.trash(images).catch((err: Error) => err);
      if (operation instanceof Error) return void showError(`Nothing was moved to ${TRASH_FOLDER}: ${operation.message}`);
      const moved = operation.moved.map((p) => ({ from: p.files[0].from, to: p.files[0].to }));
      await closeTabsOf(operation.moved.flatMap((p) => p.files.map((f) => f.from)));
      if (operation.skipped.length > 0) {
        const lines = operation.skipped.slice(0, 5).map((s) => `${path.basename(s.imagePath)}: ${s.reason}`);
        void showWarning(`${operation.skipped.length} image(s) were not moved to ${TRASH_FOLDER}: ${lines.join('; ')}${operation.skipped.length > 5 ? '; …' : ''}`);
      }
      if (operation.ratingsProblem) void showWarning(`The ratings of the trashed images stayed behind: ${operation.ratingsProblem}`);
      if (moved.length > 0) {
        const what = moved.length === 1 ? path.basename(moved[0].from) : `${moved.length} images`;
        void showInformation(`Moved ${what} to ${TRASH_FOLDER} with captions and sidecars.`, 'Undo').then((choice) => {
          if (choice === 'Undo') void undoTrash(trash, operation.id);
        });
      }
      return { operationId: operation.id, moved, skipped: operation.skipped };
    }),
    vscode.commands.registerCommand('imageCaptioner.restoreFromTrash', async (arg?: unknown, second?: unknown) => {
      await deps.dataset.whenReady();
      const given = isArgs(arg) ? arg.images : Array.isArray(arg) ? (arg as unknown[]) : arg instanceof vscode.Uri ? [arg, ...(Array.isArray(second) ? second : [])] : undefined;
      const images = given ? pathsOf(given) : await pickTrashed(trash);
      if (images.length === 0) return;
      const outcome = await trash.restore(images).catch((err: Error) => err);
      if (outcome instanceof Error) return void showError(`Nothing was restored from ${TRASH_FOLDER}: ${outcome.message}`);
      const notBack = [
        ...outcome.refusedPaths.map((r) => `${path.basename(r.imagePath)} (${r.reason})`),
        ...outcome.refused.map((r) => `${path.basename(r.pair.imagePath)} (${r.existing.map((e) => path.basename(e)).join(', ')} exists)`),
        ...outcome.failed.map((f) => `${path.basename(f.pair.imagePath)} (${f.error})`),
      ];
      if (notBack.length > 0) void showWarning(`${notBack.length} image(s) were not restored, nothing was overwritten: ${notBack.slice(0, 5).join('; ')}`);
      if (outcome.ratingsProblem) void showWarning(`The ratings of the restored images stayed in the trash: ${outcome.ratingsProblem}`);
      if (outcome.moved.length > 0) vscode.window.setStatusBarMessage(`Restored ${outcome.moved.length} image(s) from ${TRASH_FOLDER}`, 4000);
    }),
    vscode.commands.registerCommand('imageCaptioner.undoTrash', (operationId?: number) => undoTrash(trash, typeof operationId === 'number' ? operationId : undefined)),
    vscode.commands.registerCommand('imageCaptioner.emptyTrash', async () => {
      await deps.dataset.whenReady();
      const { images, files } = await trash.contents();
      if (files === 0) return void showInformation(`The dataset has no ${TRASH_FOLDER} folder, or it is empty.`);
      const answer = await showWarning(
        `Delete ${images} image(s) (${files} file(s) in all) in ${TRASH_FOLDER} for good? This cannot be undone.`,
        { modal: true },
        'Empty Trash',
      );
      if (answer !== 'Empty Trash') return;
      try {
        await trash.empty();
      } catch (err) {
        void showError(`The trash was not emptied: ${(err as Error).message}`);
        return;
      }
      void showInformation(`Deleted ${images} image(s) (${files} file(s)) from ${TRASH_FOLDER}.`);
    }),
  ];
}

async function undoTrash(trash: TrashService, id: number | undefined): Promise<void> {
  const outcome = await trash.undo(id).catch((err: Error) => err);
  if (outcome instanceof Error) return void showError(`Move to Trash was not undone: ${outcome.message}`);
  if (!outcome) return void showInformation('There is no Move to Trash to undo.');
  const notBack = [...outcome.refused.map((r) => `${path.basename(r.pair.imagePath)} (${r.existing.map((e) => path.basename(e)).join(', ')} exists again)`), ...outcome.failed.map((f) => `${path.basename(f.pair.imagePath)} (${f.error})`)];
  if (notBack.length > 0) void showWarning(`${notBack.length} image(s) stay in ${TRASH_FOLDER}, nothing was overwritten: ${notBack.slice(0, 5).join('; ')}`);
  if (outcome.ratingsProblem) void showWarning(`The ratings of the restored images stayed in the trash: ${outcome.ratingsProblem}`);
  if (outcome.moved.length > 0) vscode.window.setStatusBarMessage(`Put back ${outcome.moved.length} image(s) from ${TRASH_FOLDER}`, 4000);
}

function isArgs(arg: unknown): arg is CurationArgs {
  return typeof arg === 'object' && arg !== null && !(arg instanceof vscode.Uri) && !Array.isArray(arg) && ('images' in arg || 'stars' in arg || 'source' in arg);
}

/** Absolute paths of URIs or path strings; anything else is left out. */
function pathsOf(items: readonly unknown[]): string[] {
  return items.map((item) => (item instanceof vscode.Uri ? item.fsPath : typeof item === 'string' ? path.resolve(item) : undefined)).filter((p): p is string => p !== undefined);
}

async function pickTrashed(trash: TrashService): Promise<string[]> {
  const trashed = await trash.trashedImages();
  const root = trash.trashPath;
  if (trashed.length === 0 || !root) {
    void showInformation(`The dataset has no images in ${TRASH_FOLDER}.`);
    return [];
  }
  const picked = await vscode.window.showQuickPick(
    trashed.map((file) => ({ label: labelText(path.relative(root, file).split(path.sep).join('/')), file })),
    { title: `Restore from ${TRASH_FOLDER}`, canPickMany: true },
  );
  return picked?.map((p) => p.file) ?? [];
}

/** Absolute paths of the images a command acts on (see CurationArgs). */
async function targetImages(deps: CurationDeps, arg: unknown, second: unknown): Promise<string[]> {
  await deps.dataset.whenReady();
  const given = isArgs(arg) ? arg.images : Array.isArray(arg) ? (arg as unknown[]) : arg instanceof vscode.Uri || typeof arg === 'string' ? [arg, ...(Array.isArray(second) ? second : [])] : undefined;
  if (given) return pathsOf(given);
  const index = deps.dataset.index;
  const nodePaths = (nodes: readonly DatasetTreeNode[]): string[] => (index ? deps.scopes.fromNodes(nodes).images.map((i) => index.imagePath(i)) : []);
  // From the view's context menu: the clicked node, then every selected one.
  if (arg && typeof arg === 'object' && ('captionState' in arg || 'absPath' in arg || 'folder' in arg)) return nodePaths(Array.isArray(second) && second.length > 0 ? second : [arg as DatasetTreeNode]);
  const source = isArgs(arg) ? arg.source : undefined;
  const selection = nodePaths(deps.treeView.selection);
  const active = activeImageUri(deps.editors)?.fsPath;
  if (source === 'datasetView') return selection;
  if (source === 'activeImage') return active ? [active] : [];
  const activeTabIsImage = vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputCustom;
  return active && (activeTabIsImage || selection.length === 0) ? [active] : selection;
}

async function pickStars(count: number): Promise<number | undefined> {
  const items = [...Array(MAX_STARS + 1).keys()].reverse().map((stars) => ({ label: stars === 0 ? 'Clear rating' : `${'★'.repeat(stars)}${'☆'.repeat(MAX_STARS - stars)}`, description: stars === 0 ? '0' : `${stars}`, stars }));
  const picked = await vscode.window.showQuickPick(items, { title: `Rate ${count === 1 ? 'the image' : `${count} images`}` });
  return picked?.stars;
}

/** Whether a file is open in a tab with unsaved changes (a text editor, or a custom editor of an image whose caption or regions are unsaved). */
export function hasDirtyTab(file: string): boolean {
  return vscode.window.tabGroups.all.some((g) =>
    g.tabs.some((t) => t.isDirty && (t.input instanceof vscode.TabInputText || t.input instanceof vscode.TabInputCustom) && t.input.uri.fsPath === file),
  );
}

/** Editors of moved files would show files that are gone: they close (none has unsaved changes, or it would not have moved). */
async function closeTabsOf(files: readonly string[]): Promise<void> {
  const gone = new Set(files);
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => (t.input instanceof vscode.TabInputText || t.input instanceof vscode.TabInputCustom) && gone.has(t.input.uri.fsPath));
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
}
