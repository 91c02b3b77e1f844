import * as vscode from 'vscode';
import * as path from 'node:path';
import { FolderNode, ImageEntry } from '../core/dataset/types';
import { compileQuery, parseQuery, QuerySubject, queryNeedsCaptions, queryNeedsSecondCaptions, SubjectPredicate } from '../core/dataset/query';
import { showWarning } from '../services/notifications';
import { DatasetService } from '../services/datasetService';
import { affectsTreeDescription, treeDescriptionLength } from '../settings';
import { CAPTION_EDITOR_VIEW_TYPE } from '../webviews/captionEditorViewType';
import { imageTreeItem } from './imageTreeItem';
import { DATASET_VIEW_ID } from '../datasetViewId';

/** Images of a very large folder come in pages, so the tree never builds 100,000 items at once. */
export const PAGE_SIZE = 1000;

export interface ImagePage {
  readonly kind: 'page';
  readonly folder: FolderNode;
  readonly start: number;
  readonly end: number;
}

export type DatasetTreeNode = FolderNode | ImageEntry | ImagePage;

/** The Dataset view: folders, then images, lazily per folder; filtered by a text query. */
export class DatasetTreeProvider implements vscode.TreeDataProvider<DatasetTreeNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<DatasetTreeNode | DatasetTreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private filter?: SubjectPredicate;
  private filterQuery = '';
  /** Read once, not once per row: a folder of 1,000 images asked VS Code's configuration 1,000 times per redraw. */
  private descriptionLength = treeDescriptionLength();
  private readonly subscriptions: vscode.Disposable[];
  /** A line shown above the images while no filter is (what to do next, e.g. no model chosen yet). */
  nextStepHint?: () => string | undefined;
  /** The dataset's star ratings (shown as ★N, filtered by `rating>=4`); none until set. */
  private ratings?: RatingLookup;
  /** Whether the filter has a `caption2:` term (second captions changed on disk then refilter). */
  private filterNeedsSecond = false;

  constructor(private readonly dataset: DatasetService) {
    this.subscriptions = [
      // Changed captions redraw their rows alone, unless a filter may now show or hide them.
      dataset.onDidChange((change) => this.changeEmitter.fire(change.images && !this.filter ? [...change.images] : undefined)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!affectsTreeDescription(e)) return;
        this.descriptionLength = treeDescriptionLength();
        this.changeEmitter.fire(undefined);
      }),
      dataset.onDidChangeSecondCaptions((images) => void this.secondCaptionsChanged(images)),
    ];
  }

  /** Shows and filters by these ratings, redrawing whenever they change. */
  useRatings(ratings: RatingLookup): void {
    this.ratings = ratings;
    this.subscriptions.push(
      ratings.onDidChange((change) => {
        // Rows of the changed images alone, unless a filter may now show or hide them.
        const index = this.dataset.index;
        const images = index && change.relPaths && !this.filter ? change.relPaths.map((rel) => index.findImage(path.join(index.rootPath, ...rel.split('/')))).filter((i): i is ImageEntry => i !== undefined) : undefined;
        if (!images) this.changeEmitter.fire(undefined);
        else if (images.length > 0) this.changeEmitter.fire(images);
      }),
    );
  }

  get query(): string {
    return this.filterQuery;
  }

  /** Shows only images matching a query of the filter language; '' clears it. Throws QuerySyntaxError. */
  async setFilter(query: string): Promise<void> {
    const parsed = query.trim() ? parseQuery(query) : undefined;
    this.filterQuery = query.trim();
    this.filter = parsed ? compileQuery(parsed) : undefined;
    this.filterNeedsSecond = parsed !== undefined && queryNeedsSecondCaptions(parsed);
    if (parsed) await this.ratings?.whenLoaded();
    const index = this.dataset.index;
    if (this.filterNeedsSecond && index) {
      await vscode.window.withProgress({ location: { viewId: DATASET_VIEW_ID }, title: 'Reading second captions' }, () => this.loadSecondCaptions(index.images()));
    }
    if (parsed && queryNeedsCaptions(parsed) && index) {
      await vscode.window.withProgress({ location: { viewId: DATASET_VIEW_ID }, title: 'Reading captions' }, () =>
        this.dataset.loadCaptions(index.images()),
      );
    }
    await vscode.commands.executeCommand('setContext', 'imageCaptioner.filterActive', Boolean(this.filter));
    this.changeEmitter.fire(undefined);
  }

  /**
   * Shows only the images at these dataset-relative paths (a set named elsewhere, e.g. a group in the
   * Explore panel); `label` stands for it where the query would show. Clear Filter ends it.
   */
  async showImageSet(relPaths: readonly string[], label: string): Promise<void> {
    const wanted = new Set(relPaths);
    this.filterQuery = label;
    this.filter = (subject) => wanted.has(subject.relPath);
    this.filterNeedsSecond = false;
    await vscode.commands.executeCommand('setContext', 'imageCaptioner.filterActive', true);
    this.changeEmitter.fire(undefined);
  }

  /** Images matching a query of the filter language, in dataset order (the view's filter is left as it is). Throws QuerySyntaxError. */
  async imagesMatching(query: string): Promise<ImageEntry[]> {
    const index = this.dataset.index;
    if (!index) return [];
    const parsed = parseQuery(query);
    await this.ratings?.whenLoaded();
    if (queryNeedsCaptions(parsed)) await this.dataset.loadCaptions(index.images());
    if (queryNeedsSecondCaptions(parsed)) await this.loadSecondCaptions(index.images());
    const predicate = compileQuery(parsed);
    return index.images().filter((img) => predicate(this.subjectOf(img)));
  }

  /** Images the current filter shows, in dataset order (all images without a filter). */
  visibleImages(): readonly ImageEntry[] {
    const index = this.dataset.index;
    if (!index) return [];
    return this.filter ? index.images().filter((img) => this.matches(img)) : index.images();
  }

  getTreeItem(node: DatasetTreeNode): vscode.TreeItem {
    if (isPage(node)) {
      const item = new vscode.TreeItem(`Images ${node.start + 1}–${node.end}`, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `page:${node.folder.relPath}:${node.start}`;
      item.iconPath = new vscode.ThemeIcon('files');
      return item;
    }
    if (isImage(node)) {
      const index = this.dataset.index!;
      const item = imageTreeItem(node, index, this.dataset.texts, this.dataset.health?.problem(node), this.descriptionLength, this.ratings?.ratingOf(relPathOf(node)) ?? 0);
      item.command = {
        command: 'vscode.openWith',
        title: 'Open Caption Editor',
        arguments: [vscode.Uri.file(index.imagePath(node)), CAPTION_EDITOR_VIEW_TYPE, { preview: true }],
      };
      return item;
    }
    const isRoot = node.relPath === '';
    const item = new vscode.TreeItem(node.name, isRoot ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `folder:${node.relPath}`;
    item.resourceUri = vscode.Uri.file(node.absPath);
    item.contextValue = 'folder';
    item.description = `${node.deepImageCount}`;
    item.tooltip = node.error ? `${node.absPath}\nCould not be read: ${node.error}` : `${node.absPath}\n${node.deepImageCount} images`;
    item.iconPath = node.error ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')) : vscode.ThemeIcon.Folder;
    return item;
  }

  async getChildren(node?: DatasetTreeNode): Promise<DatasetTreeNode[]> {
    const index = this.dataset.index;
    if (!index) return [];
    if (!node) return [index.root];
    if (isImage(node)) return [];
    if (isPage(node)) return this.imagesOf(node.folder.images.slice(node.start, node.end));
    const subfolders = this.filter ? node.subfolders.filter((f) => this.folderHasMatch(f)) : node.subfolders;
    if (node.images.length > PAGE_SIZE && !this.filter) {
      const pages: ImagePage[] = [];
      for (let start = 0; start < node.images.length; start += PAGE_SIZE) {
        pages.push({ kind: 'page', folder: node, start, end: Math.min(start + PAGE_SIZE, node.images.length) });
      }
      return [...subfolders, ...pages];
    }
    return [...subfolders, ...(await this.imagesOf(node.images))];
  }

  getParent(node: DatasetTreeNode): DatasetTreeNode | undefined {
    if (isPage(node)) return node.folder;
    if (isImage(node)) {
      const folder = node.folder;
      if (folder.images.length > PAGE_SIZE && !this.filter) {
        const at = folder.images.indexOf(node);
        const start = Math.floor(at / PAGE_SIZE) * PAGE_SIZE;
        return { kind: 'page', folder, start, end: Math.min(start + PAGE_SIZE, folder.images.length) };
      }
      return folder;
    }
    return node.parent;
  }

  private async imagesOf(images: readonly ImageEntry[]): Promise<ImageEntry[]> {
    await this.dataset.prepareForDisplay(images);
    return this.filter ? images.filter((img) => this.matches(img)) : [...images];
  }

  private matches(image: ImageEntry): boolean {
    return !this.filter || this.filter(this.subjectOf(image));
  }

  private subjectOf(image: ImageEntry): QuerySubject {
    const relPath = relPathOf(image);
    const caption = this.dataset.texts?.get(image) ?? '';
    const secondCaption = this.dataset.secondTexts?.get(image);
    return { name: image.name, relPath, caption, hasCaptionFile: image.captionState !== 'none', collision: image.collision, rating: this.ratings?.ratingOf(relPath) ?? 0, secondCaption };
  }

  /** Adds the second caption (when the dataset has them) to an image's tooltip, read when the tooltip is about to show. */
  async resolveTreeItem(item: vscode.TreeItem, node: DatasetTreeNode): Promise<vscode.TreeItem> {
    const index = this.dataset.index;
    if (!index || !isImage(node) || index.secondCaptionPath(node) === undefined || !(item.tooltip instanceof vscode.MarkdownString)) return item;
    await this.loadSecondCaptions([node]);
    const text = this.dataset.secondTexts?.get(node) ?? '';
    if (text.trim()) item.tooltip.appendText(`\n\nSecond caption: ${text.length > 600 ? `${text.slice(0, 600)}…` : text}`);
    return item;
  }

  /** Reads the second captions of `images` not read yet; one warning names those that could not be read. */
  private async loadSecondCaptions(images: readonly ImageEntry[]): Promise<void> {
    const failures = (await this.dataset.secondTexts?.load(images)) ?? [];
    if (failures.length > 0) void showWarning(`${failures.length} second caption(s) could not be read and count as empty for the filter: ${failures[0].captionPath}: ${failures[0].message}`);
  }

  /** Second captions changed on disk: a filter with `caption2:` reads them again and filters again. */
  private async secondCaptionsChanged(images: readonly ImageEntry[]): Promise<void> {
    if (!this.filterNeedsSecond) return;
    await this.loadSecondCaptions(images);
    this.changeEmitter.fire(undefined);
  }

  private folderHasMatch(folder: FolderNode): boolean {
    return folder.images.some((img) => this.matches(img)) || folder.subfolders.some((f) => this.folderHasMatch(f));
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changeEmitter.dispose();
  }
}

/** Where the view learns each image's stars (RatingsService). */
export interface RatingLookup {
  /** Stars of an image by its dataset-relative '/' path; 0 when unrated. */
  ratingOf(relPath: string): number;
  whenLoaded(): Promise<void>;
  /** `relPaths`: the images whose stars changed; absent: any. */
  readonly onDidChange: vscode.Event<{ readonly relPaths?: readonly string[] }>;
}

function relPathOf(image: ImageEntry): string {
  return image.folder.relPath ? `${image.folder.relPath}/${image.name}` : image.name;
}

export function isImage(node: DatasetTreeNode): node is ImageEntry {
  return 'captionState' in node;
}

function isPage(node: DatasetTreeNode): node is ImagePage {
  return (node as ImagePage).kind === 'page';
}
