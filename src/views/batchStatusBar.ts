import * as vscode from 'vscode';
import { BatchActivity, BatchOutcome, RunningBatch } from '../services/batchActivity';
import { outcomeText, progressText } from '../core/captioning/batchProgressText';
import { labelText } from '../services/plainText';

/** How long a batch's outcome stays in the status bar, counted while the window has focus. */
export const OUTCOME_SHOWN_MS = 5 * 60_000;

const SHOW_LOG = 'imageCaptioner.showCaptioningLog';

/**
 * The status bar item of caption batches: count, rate and time left while one runs, then its outcome
 * for a while (a progress notification can be hidden, and Do Not Disturb never shows it; a finish
 * message fades after seconds). A click shows the Image Captioner log.
 */
export class BatchStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('imageCaptioner.batch', vscode.StatusBarAlignment.Left, 100);
  private readonly subscriptions: vscode.Disposable[];
  private forgetTimer: NodeJS.Timeout | undefined;

  constructor(private readonly activity: BatchActivity) {
    this.item.name = 'Image Captioner Batch';
    this.item.command = SHOW_LOG;
    this.subscriptions = [
      activity.onDidChange(() => this.render()),
      // An outcome that ended while the user was away starts its time when they come back.
      vscode.window.onDidChangeWindowState((state) => {
        if (state.focused) this.startForgetTimer();
      }),
    ];
    this.render();
  }

  private render(): void {
    const running = this.activity.running;
    const outcome = this.activity.lastOutcome;
    if (running.length > 0) this.showRunning(running);
    else if (outcome) this.showOutcome(outcome);
    else this.item.hide();
  }

  private showRunning(running: readonly RunningBatch[]): void {
    this.stopForgetTimer();
    const latest = running[running.length - 1];
    const counts = (run: RunningBatch): string => (run.progress ? progressText(run.progress) : 'starting');
    const more = running.length > 1 ? ` (+${running.length - 1} more)` : '';
    this.item.text = `$(sync~spin) ${labelText(`Captioning ${counts(latest)}${more}`)}`;
    this.item.tooltip = `${running.map((r) => `${r.title}: ${counts(r)}`).join('\n')}\nClick to show the Image Captioner log.`;
    this.item.accessibilityInformation = { label: `${latest.title}: ${counts(latest)}${more}` };
    this.item.backgroundColor = undefined;
    this.item.show();
  }

  private showOutcome(outcome: BatchOutcome): void {
    const { icon, text, detail, background } = describeOutcome(outcome);
    this.item.text = `${icon} ${labelText(text)}`;
    this.item.tooltip = `${outcome.title}\n${detail ?? text}\nClick to show the Image Captioner log.`;
    this.item.accessibilityInformation = { label: `${outcome.title}: ${detail ?? text}` };
    this.item.backgroundColor = background ? new vscode.ThemeColor(background) : undefined;
    this.item.show();
    this.startForgetTimer();
  }

  private startForgetTimer(): void {
    if (this.forgetTimer || !this.activity.lastOutcome || this.activity.running.length > 0 || !vscode.window.state.focused) return;
    this.forgetTimer = setTimeout(() => {
      this.forgetTimer = undefined;
      this.activity.forgetOutcome();
    }, OUTCOME_SHOWN_MS);
  }

  private stopForgetTimer(): void {
    clearTimeout(this.forgetTimer);
    this.forgetTimer = undefined;
  }

  dispose(): void {
    this.stopForgetTimer();
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}

/** The icon, the short text, the full text when the short one leaves something out, and the background colour. */
function describeOutcome(outcome: BatchOutcome): { icon: string; text: string; detail?: string; background?: string } {
  if (outcome.kind === 'error') return { icon: '$(error)', text: 'Captioning failed', detail: `Captioning failed: ${outcome.message}`, background: 'statusBarItem.errorBackground' };
  const { summary } = outcome;
  const text = outcomeText(summary);
  // stopped: nothing more can work until the user fixes the address, the key or the model
  if (summary.stopped) return { icon: '$(error)', text, detail: `${text}. ${summary.stopped.reason}`, background: 'statusBarItem.errorBackground' };
  if (summary.failed > 0) return { icon: '$(warning)', text, background: 'statusBarItem.warningBackground' };
  return { icon: summary.cancelled ? '$(circle-slash)' : '$(check)', text };
}
