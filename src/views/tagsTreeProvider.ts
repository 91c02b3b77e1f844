import * as vscode from 'vscode';
import { searchTagCounts, sortTagCounts, TagCount, TagSort } from '../core/tagging/tagCounts';
import type { DatasetTags } from '../services/datasetTags';
import type { DatasetTreeProvider } from './datasetTreeProvider';

/** The Tags view's id (package.json). */
export const TAGS_VIEW_ID = 'imageCaptioner.tags';
/** Rows shown at most: a tree of tens of thousands of items is slow to draw; searching narrows it. */
export const MAX_TAG_ROWS = 2000;
/** Dataset view changes closer together than this recount once. */
const RECOUNT_MS = 300;

/** A row of the Tags view. */
export interface TagNode {
  readonly tag: string;
  readonly key: string;
  readonly count: number;
}

/**
 * Every tag of the dataset, or of the Dataset view's current filter, with how many captions carry
 * it; sorted by count or name, narrowed by a substring search. Recounts (debounced) whenever the
 * Dataset view changes: a caption edited, the filter set or cleared, the folder read again.
 */
export class TagsTreeProvider implements vscode.TreeDataProvider<TagNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private counts: TagCount[] = [];
  private counted?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private generation = 0;
  private sortOrder: TagSort = 'count';
  private searchText = '';
  private shown = false;
  private readonly subscriptions: vscode.Disposable[];
  /** Called after each recount (the view's title and message follow it). */
  onDidRecount?: () => void;

  constructor(
    private readonly tags: DatasetTags,
    private readonly datasetTree: DatasetTreeProvider,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions = [datasetTree.onDidChangeTreeData(() => this.scheduleRecount())];
    void vscode.commands.executeCommand('setContext', 'imageCaptioner.tags.sort', this.sortOrder);
  }

  get sort(): TagSort {
    return this.sortOrder;
  }

  get search(): string {
    return this.searchText;
  }

  /** The Dataset view's filter the counts follow ('' for the whole dataset). */
  get scopeQuery(): string {
    return this.datasetTree.query;
  }

  setSort(sort: TagSort): void {
    this.sortOrder = sort;
    void vscode.commands.executeCommand('setContext', 'imageCaptioner.tags.sort', sort);
    this.changeEmitter.fire(undefined);
  }

  setSearch(text: string): void {
    this.searchText = text.trim();
    void vscode.commands.executeCommand('setContext', 'imageCaptioner.tags.searchActive', this.searchText !== '');
    this.changeEmitter.fire(undefined);
    this.onDidRecount?.();
  }

  /** The rows in view order, searched, before the row cap (tests and the view's message use it). */
  async rows(): Promise<TagNode[]> {
    await (this.counted ??= this.recount());
    return sortTagCounts(searchTagCounts(this.counts, this.searchText), this.sortOrder);
  }

  /** How many distinct tags the scope has (before the search). */
  get tagCount(): number {
    return this.counts.length;
  }

  /** Counts again now (the debounced recount, without the wait). */
  async refresh(): Promise<void> {
    clearTimeout(this.timer);
    this.counted = this.recount();
    await this.counted;
  }

  getTreeItem(node: TagNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.tag, vscode.TreeItemCollapsibleState.None);
    item.id = `tag:${node.key}`;
    item.description = node.count.toLocaleString('en-US');
    item.tooltip = `${node.tag}\n${node.count.toLocaleString('en-US')} caption${node.count === 1 ? '' : 's'}`;
    item.contextValue = 'tag';
    item.iconPath = new vscode.ThemeIcon('tag');
    item.command = { command: 'imageCaptioner.tags.showInDataset', title: 'Show in Dataset View', arguments: [node] };
    return item;
  }

  async getChildren(node?: TagNode): Promise<TagNode[]> {
    if (node) return [];
    return (await this.rows()).slice(0, MAX_TAG_ROWS);
  }

  /** Whether the view is shown: a hidden view only notes that its counts are stale. */
  set visible(visible: boolean) {
    this.shown = visible;
    if (visible && !this.counted) void this.refresh().catch((err: unknown) => this.failed(err));
  }

  private scheduleRecount(): void {
    clearTimeout(this.timer);
    if (!this.shown) {
      this.counted = undefined;
      return;
    }
    this.timer = setTimeout(() => void this.refresh().catch((err: unknown) => this.failed(err)), RECOUNT_MS);
  }

  private async recount(): Promise<void> {
    const generation = ++this.generation;
    const images = this.datasetTree.visibleImages();
    const counts = this.datasetTree.query ? await this.tags.countsOf(images) : await this.tags.all();
    if (generation !== this.generation) return; // a newer recount answers
    this.counts = counts;
    this.changeEmitter.fire(undefined);
    this.onDidRecount?.();
  }

  /** A recount that failed (a caption folder gone mid-read): logged; the next change counts again. */
  private failed(err: unknown): void {
    this.counted = undefined;
    this.log.warn(`Tags view: counting tags failed: ${(err as Error).message}`);
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.changeEmitter.dispose();
  }
}
