/** The CLIP Scores view: the last run's pairs, lowest score first (or by name), flagged ones marked. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatScore, isFlagged, isScored, sortResults, summarize, type ClipScoreResult, type ClipSortOrder } from '../core/embeddings/clipScore';
import type { ClipScoreService } from '../services/clipScoreService';
import type { DatasetService } from '../services/datasetService';
import { CAPTION_EDITOR_VIEW_TYPE } from '../webviews/captionEditorViewType';

export class ClipScoreTreeProvider implements vscode.TreeDataProvider<ClipScoreResult>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private sortOrder: ClipSortOrder = 'score';

  constructor(
    private readonly scores: ClipScoreService,
    private readonly dataset: DatasetService,
  ) {}

  get order(): ClipSortOrder {
    return this.sortOrder;
  }

  setOrder(order: ClipSortOrder): void {
    this.sortOrder = order;
    this.refresh();
  }

  refresh(): void {
    this.changeEmitter.fire();
  }

  /** "N scored, M below 15" (plus errors), or the view's name before any run. */
  title(): string {
    const run = this.scores.lastRun;
    if (!run) return 'CLIP Scores';
    const threshold = this.scores.threshold();
    const { scored, below, errors } = summarize(run.results, threshold);
    return `${scored} scored, ${below} below ${threshold}${errors ? `, ${errors} failed` : ''}`;
  }

  getChildren(element?: ClipScoreResult): ClipScoreResult[] {
    if (element) return [];
    return sortResults(this.scores.lastRun?.results ?? [], this.sortOrder);
  }

  getTreeItem(result: ClipScoreResult): vscode.TreeItem {
    const relative = this.dataset.index?.relativePath(result.imagePath) ?? path.basename(result.imagePath);
    const item = new vscode.TreeItem(relative, vscode.TreeItemCollapsibleState.None);
    item.id = result.imagePath;
    const threshold = this.scores.threshold();
    if (isScored(result)) {
      item.description = formatScore(result.score);
      item.tooltip = `CLIP score ${formatScore(result.score)}${isFlagged(result, threshold) ? ` (below ${threshold})` : ''}\n${result.captionPath}`;
      if (isFlagged(result, threshold)) item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
      else item.iconPath = new vscode.ThemeIcon('file-media');
    } else {
      item.description = 'not scored';
      item.tooltip = result.error;
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
    }
    item.command = { title: 'Open in Caption Editor', command: 'vscode.openWith', arguments: [vscode.Uri.file(result.imagePath), CAPTION_EDITOR_VIEW_TYPE] };
    return item;
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }
}
