import type * as vscode from 'vscode';

/** What the watchdog needs of a webview panel (a custom editor's panel or a plain one). */
export interface WatchedPanel {
  readonly visible: boolean;
  readonly onDidChangeViewState: (listener: () => void) => vscode.Disposable;
  readonly onDidDispose: (listener: () => void) => vscode.Disposable;
}

export interface WatchdogOptions {
  /** How long a visible webview may take to say 'ready' before its HTML is set again. */
  readonly timeoutMs?: number;
  /** How many times the HTML is set again before giving up. */
  readonly retries?: number;
  /** Told of each new try (for the log). */
  readonly onRetry?: (attempt: number, retries: number) => void;
  /** Told once when every try is spent and the webview is still blank. */
  readonly onGiveUp?: () => void;
}

export const WEBVIEW_LOAD_TIMEOUT_MS = 8000;
export const WEBVIEW_LOAD_RETRIES = 1;

/**
 * Sets a webview's HTML again when its script never says 'ready'. VS Code's webview host now and
 * then leaves a new webview blank: its service worker or content frame never loads (the "Could not
 * register service worker" family, microsoft/vscode#125993), and the user could only close the editor
 * and hope. Setting the HTML again makes the host build a new content frame. The clock runs only
 * while the panel is visible, because a hidden webview need not load; once every try is spent the
 * caller goes further (webviewLoader.ts: reopens a custom editor's tab, or offers Reload Window). Type-only use of `vscode`, so unit tests drive it with fakes.
 */
export class WebviewLoadWatchdog {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private attempts = 0;
  private loaded = false;
  private disposed = false;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly panel: WatchedPanel, private readonly setHtml: () => void, private readonly options: WatchdogOptions = {}) {
    this.subscriptions = [
      // A hidden webview without retained context is torn down and loads again when shown: it says 'ready' again.
      panel.onDidChangeViewState(() => (this.panel.visible ? this.arm() : this.hidden())),
      panel.onDidDispose(() => this.dispose()),
    ];
  }

  /** Sets the HTML and starts watching for 'ready'. */
  load(): void {
    this.loaded = false;
    this.setHtml();
    this.arm(true);
  }

  /** The webview's script said 'ready': it loaded. */
  ready(): void {
    this.loaded = true;
    this.attempts = 0;
    this.clear();
  }

  dispose(): void {
    this.disposed = true;
    this.clear();
    for (const s of this.subscriptions) s.dispose();
  }

  private hidden(): void {
    this.loaded = false;
    this.clear();
  }

  private arm(restart = false): void {
    if (restart) this.clear();
    if (this.disposed || this.loaded || this.timer || !this.panel.visible) return;
    this.timer = setTimeout(() => this.expired(), this.options.timeoutMs ?? WEBVIEW_LOAD_TIMEOUT_MS);
  }

  private expired(): void {
    this.timer = undefined;
    if (this.disposed || this.loaded) return;
    if (!this.panel.visible) return; // armed again when shown
    const retries = this.options.retries ?? WEBVIEW_LOAD_RETRIES;
    if (this.attempts >= retries) {
      this.options.onGiveUp?.();
      return;
    }
    this.attempts++;
    this.options.onRetry?.(this.attempts, retries);
    this.setHtml();
    this.arm();
  }

  private clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
