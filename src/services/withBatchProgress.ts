import * as vscode from 'vscode';
import type { BatchProgress, BatchSummary } from '../core/captioning/batchTypes';
import { DATASET_VIEW_ID } from '../datasetViewId';
import { BatchActivity } from './batchActivity';
import { progressText } from '../core/captioning/batchProgressText';
import { withNotificationProgress } from './notifications';

/**
 * Runs a batch with its progress where a user looks: a notification with count, rate, time left and
 * Cancel; the Dataset view's progress bar (and its activity bar icon); the status bar item, which
 * reads `activity` and keeps the outcome for a while (BatchStatusBar).
 */
export async function withBatchProgress(
  activity: BatchActivity,
  title: string,
  task: (report: (progress: BatchProgress) => void, token: vscode.CancellationToken) => Promise<BatchSummary>,
): Promise<BatchSummary> {
  const run = activity.begin(title);
  try {
    const summary = await vscode.window.withProgress({ location: { viewId: DATASET_VIEW_ID } }, (inView) =>
      withNotificationProgress({ title, cancellable: true }, (inNotification, token) => {
        let reported = 0;
        return task((p) => {
          const settled = p.done + p.skipped + p.failed;
          const step = { message: progressText(p), increment: p.total ? ((settled - reported) / p.total) * 100 : undefined };
          reported = settled;
          inNotification.report(step);
          inView.report(step);
          run.report(p);
        }, token);
      }),
    );
    run.finished(summary);
    return summary;
  } catch (err) {
    run.failed(err);
    throw err;
  }
}
