import * as assert from 'node:assert/strict';
import { WebviewLoadWatchdog, type WatchedPanel } from '../../../src/webviews/webviewLoadWatchdog';

/** A panel whose visibility the test sets, firing VS Code's view-state and dispose events. */
class FakePanel implements WatchedPanel {
  visible = true;
  private readonly viewListeners = new Set<() => void>();
  private readonly disposeListeners = new Set<() => void>();
  readonly onDidChangeViewState = (listener: () => void) => this.listen(this.viewListeners, listener);
  readonly onDidDispose = (listener: () => void) => this.listen(this.disposeListeners, listener);

  setVisible(visible: boolean): void {
    this.visible = visible;
    for (const l of this.viewListeners) l();
  }

  dispose(): void {
    for (const l of this.disposeListeners) l();
  }

  get listeners(): number {
    return this.viewListeners.size + this.disposeListeners.size;
  }

  private listen(set: Set<() => void>, listener: () => void) {
    set.add(listener);
    return { dispose: () => void set.delete(listener) };
  }
}

const TIMEOUT = 40;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Waits (polling) until `events` holds `event`: timers run late on a loaded machine, so no fixed sleep decides. */
async function until(events: readonly string[], event: string): Promise<void> {
  for (const deadline = Date.now() + 10_000; !events.includes(event); await sleep(5)) if (Date.now() > deadline) throw new Error(`no ${event} in ${events.join(', ')}`);
}

function watch(panel: FakePanel, retries = 2) {
  const events: string[] = [];
  const watchdog = new WebviewLoadWatchdog(panel, () => events.push('html'), {
    timeoutMs: TIMEOUT,
    retries,
    onRetry: (attempt, of) => events.push(`retry ${attempt}/${of}`),
    onGiveUp: () => events.push('give up'),
  });
  return { watchdog, events };
}

describe('webview load watchdog', () => {
  it('sets the HTML once when the webview says ready in time', async () => {
    const panel = new FakePanel();
    const { watchdog, events } = watch(panel);
    watchdog.load();
    watchdog.ready();
    await sleep(TIMEOUT * 4);
    assert.deepEqual(events, ['html']);
  });

  it('sets the HTML again while the webview stays blank, then gives up once', async () => {
    const panel = new FakePanel();
    const { watchdog, events } = watch(panel);
    watchdog.load();
    await until(events, 'give up');
    await sleep(TIMEOUT * 3);
    assert.deepEqual(events, ['html', 'retry 1/2', 'html', 'retry 2/2', 'html', 'give up']);
    watchdog.dispose();
  });

  it('stops retrying as soon as a retry loads', async () => {
    const panel = new FakePanel();
    const { watchdog, events } = watch(panel);
    watchdog.load();
    await until(events, 'retry 1/2');
    watchdog.ready();
    await sleep(TIMEOUT * 4);
    assert.deepEqual(events, ['html', 'retry 1/2', 'html']);
  });

  it('lets a hidden webview wait, and watches it again when shown (a hidden webview loads anew when shown)', async () => {
    const panel = new FakePanel();
    panel.visible = false;
    const { watchdog, events } = watch(panel);
    watchdog.load();
    await sleep(TIMEOUT * 3);
    assert.deepEqual(events, ['html'], 'no retry while hidden');
    panel.setVisible(true);
    watchdog.ready();
    panel.setVisible(false);
    panel.setVisible(true); // torn down while hidden: it must say ready again
    await until(events, 'retry 1/2');
    assert.deepEqual(events, ['html', 'retry 1/2', 'html']);
    watchdog.ready();
    await sleep(TIMEOUT * 3);
    assert.deepEqual(events, ['html', 'retry 1/2', 'html']);
  });

  it('does nothing after the panel is disposed, and leaves no listener behind', async () => {
    const panel = new FakePanel();
    const { watchdog, events } = watch(panel);
    watchdog.load();
    panel.dispose();
    await sleep(TIMEOUT * 3);
    assert.deepEqual(events, ['html']);
    assert.equal(panel.listeners, 0);
  });
});
