/** CLIP Score commands: score a scope or the current image, sort the view, move low-scoring pairs aside and back. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatScore, isScored, type ClipScoreResult, type ClipSortOrder } from '../core/embeddings/clipScore';
import type { MoveOutcome } from '../core/embeddings/pairMoves';
import { ClipScoreService, type ClipScoreRun } from '../services/clipScoreService';
import type { DatasetService } from '../services/datasetService';
import type { EmbeddingService } from '../services/embeddingService';
import type { LocalModelService } from '../services/localModelService';
import type { RatingsService } from '../services/ratingsService';
import { ClipScoreTreeProvider } from '../views/clipScoreTreeProvider';
import { CAPTION_EDITOR_VIEW_TYPE } from '../webviews/captionEditorViewType';
import type { ScopePicker } from './scopePicker';
import { showError, showInformation, showWarning, withNotificationProgress } from '../services/notifications';

const VIEW_ID = 'imageCaptioner.clipScores';
const PROGRESS_INTERVAL_MS = 1000;

/** What the run and sort commands return (for tests and other extensions): the view as it now reads. */
export interface ClipScoreViewState {
  readonly run: ClipScoreRun | undefined;
  readonly title: string;
  readonly items: readonly vscode.TreeItem[];
}

/** The CLIP score commands over the shared EmbeddingService (built once in extension.ts, shared with the Explore panel). */
export function registerClipScoreCommands(local: LocalModelService, embeddings: EmbeddingService, dataset: DatasetService, scopes: ScopePicker, ratings?: RatingsService): vscode.Disposable[] {
  const scores = new ClipScoreService(local, embeddings, dataset);
  const tree = new ClipScoreTreeProvider(scores, dataset);
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree });
  const status = vscode.window.createStatusBarItem('imageCaptioner.clipScore', vscode.StatusBarAlignment.Left, 90);
  status.name = 'CLIP Score';
  let statusImage: string | undefined;

  const viewState = (): ClipScoreViewState => ({ run: scores.lastRun, title: view.title ?? '', items: tree.getChildren().map((r) => tree.getTreeItem(r)) });
  const update = (): void => {
    view.title = tree.title();
    tree.refresh();
    void vscode.commands.executeCommand('setContext', 'imageCaptioner.clipScore.canUndoMove', scores.canUndoMove);
  };
  const sort = (order: ClipSortOrder): ClipScoreViewState => {
    tree.setOrder(order);
    return viewState();
  };

  return [
    scores,
    tree,
    view,
    status,
    scores.onDidChange(update),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('imageCaptioner.clipScore')) update();
    }),
    vscode.window.tabGroups.onDidChangeTabs(() => {
      if (statusImage && activeCaptionEditorImage() !== statusImage) status.hide();
    }),
    vscode.commands.registerCommand('imageCaptioner.clipScore.run', async (arg?: unknown, args?: unknown) => {
      await runScores(scores, scopes, arg, args);
      return viewState();
    }),
    vscode.commands.registerCommand('imageCaptioner.clipScore.current', async () => {
      const result = await scoreCurrent(scores, dataset, status);
      statusImage = result?.imagePath;
      return result;
    }),
    vscode.commands.registerCommand('imageCaptioner.clipScore.sortByScore', () => sort('score')),
    vscode.commands.registerCommand('imageCaptioner.clipScore.sortByName', () => sort('name')),
    vscode.commands.registerCommand('imageCaptioner.clipScore.moveLowScoring', (options?: unknown) => moveLowScoring(scores, dataset, isConfirmed(options), ratings)),
    vscode.commands.registerCommand('imageCaptioner.clipScore.undoMove', () => undoMove(scores, ratings)),
  ];
}

async function runScores(scores: ClipScoreService, scopes: ScopePicker, arg: unknown, args: unknown): Promise<void> {
  const scope = await scopes.pick('CLIP Score', arg, args);
  if (!scope) return;
  // Whatever stage a cancellation interrupts (reading captions, embedding), it says "cancelled".
  const controller = new AbortController();
  try {
    const run = await withNotificationProgress(
      { title: `CLIP score of ${scope.label}`, cancellable: true },
      (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        let reported = 0;
        let lastReport = 0;
        return scores.run(scope.images, {
          signal: controller.signal,
          onProgress: (done, total) => {
            const now = Date.now();
            if (now - lastReport < PROGRESS_INTERVAL_MS && done < total) return;
            lastReport = now;
            const percent = total ? (100 * done) / total : 100;
            progress.report({ message: `${done} of ${total} embeddings`, increment: percent - reported });
            reported = percent;
          },
        });
      },
    );
    await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
    const threshold = scores.threshold();
    const scored = run.results.filter(isScored);
    const below = scored.filter((r) => r.score < threshold).length;
    const failed = run.results.length - scored.length;
    const parts = [`Scored ${scored.length} pairs of ${scope.label}: ${below} below ${threshold}.`];
    if (run.skipped) parts.push(`${run.skipped} images without a caption were skipped.`);
    if (failed) parts.push(`${failed} could not be scored (see the CLIP Scores view).`);
    void showInformation(parts.join(' '));
  } catch (err) {
    if (controller.signal.aborted) void showInformation('CLIP score cancelled.');
    else void showError(`CLIP score failed: ${(err as Error).message}`);
  }
}

/** Scores the caption editor's image; returns the result when a score is shown. */
async function scoreCurrent(scores: ClipScoreService, dataset: DatasetService, status: vscode.StatusBarItem): Promise<ClipScoreResult | undefined> {
  const imagePath = activeCaptionEditorImage();
  await dataset.whenReady();
  const image = imagePath ? dataset.index?.findImage(imagePath) : undefined;
  if (!imagePath || !image) {
    void showInformation('Open an image of the dataset in the caption editor first.');
    return undefined;
  }
  try {
    const { results } = await scores.score([image]);
    const result = results[0];
    if (!result) {
      void showInformation(`${image.name} has no caption to score.`);
      return undefined;
    }
    if (!isScored(result)) {
      void showError(`CLIP score of ${image.name} failed: ${result.error}`);
      return undefined;
    }
    const threshold = scores.threshold();
    const low = result.score < threshold;
    status.text = `CLIP ${formatScore(result.score)}`;
    status.tooltip = `CLIP score of ${image.name} and its caption${low ? ` (below ${threshold})` : ''}`;
    status.backgroundColor = low ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    status.show();
    void showInformation(`CLIP score of ${image.name}: ${formatScore(result.score)}${low ? ` (below ${threshold})` : ''}.`);
    return result;
  } catch (err) {
    void showError(`CLIP score failed: ${(err as Error).message}`);
    return undefined;
  }
}

async function moveLowScoring(scores: ClipScoreService, dataset: DatasetService, confirmed: boolean, ratings: RatingsService | undefined): Promise<MoveOutcome | undefined> {
  const flagged = scores.flagged();
  let destination: string | undefined;
  try {
    destination = scores.failedFolderPath();
  } catch (err) {
    void showError((err as Error).message);
    return undefined;
  }
  if (flagged.length === 0 || !destination) {
    void showInformation(scores.lastRun ? `No pair scored below ${scores.threshold()}.` : 'Run "CLIP Score…" first.');
    return undefined;
  }
  const shown = dataset.index?.relativePath(destination) ?? destination;
  if (!confirmed) {
    const answer = await showWarning(
      `Move ${flagged.length} low-scoring pairs (CLIP score below ${scores.threshold()}) with their captions into "${shown}/"?`,
      { modal: true, detail: 'Each image keeps its folder below the destination. Files already there are never overwritten.' },
      'Move',
    );
    if (answer !== 'Move') return undefined;
  }
  const outcome = await scores.moveFlagged();
  await carryRatings(ratings, outcome);
  reportMoves(`Moved ${outcome.moved.length} pairs into "${shown}/".`, outcome);
  return outcome;
}

async function undoMove(scores: ClipScoreService, ratings: RatingsService | undefined): Promise<MoveOutcome | undefined> {
  if (!scores.canUndoMove) {
    void showInformation('No move of low-scoring pairs to undo.');
    return undefined;
  }
  const outcome = await scores.undoMove();
  if (outcome) await carryRatings(ratings, outcome);
  if (outcome) reportMoves(`Moved ${outcome.moved.length} pairs back.`, outcome);
  return outcome;
}

/** Moved images keep their stars; when the ratings file cannot be written, the move stands and a warning says so. */
async function carryRatings(ratings: RatingsService | undefined, outcome: MoveOutcome): Promise<void> {
  await ratings?.followPairMoves(outcome.moved).catch((err: Error) => showWarning(`The ratings of the moved pairs stayed behind: ${err.message}`));
}

function reportMoves(done: string, outcome: MoveOutcome): void {
  const problems = [
    ...outcome.refused.map((r) => `${path.basename(r.pair.imagePath)}: ${r.existing.join(', ')} already exists`),
    ...outcome.failed.map((f) => `${path.basename(f.pair.imagePath)}: ${f.error}`),
  ];
  if (problems.length === 0) void showInformation(done);
  else void showWarning(`${done} ${problems.length} left in place: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? '; …' : ''}`);
}

function activeCaptionEditorImage(): string | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputCustom && input.viewType === CAPTION_EDITOR_VIEW_TYPE ? input.uri.fsPath : undefined;
}

/** `{ confirmed: true }` skips the modal question (tests, other extensions). */
function isConfirmed(options: unknown): boolean {
  return !!options && typeof options === 'object' && (options as { confirmed?: unknown }).confirmed === true;
}
