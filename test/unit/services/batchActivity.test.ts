import { strict as assert } from 'node:assert';
import { BatchActivity } from '../../../src/services/batchActivity';
import { formatDuration, outcomeText, progressText } from '../../../src/core/captioning/batchProgressText';
import type { BatchProgress, BatchSummary } from '../../../src/core/captioning/batchTypes';

const progress = (over: Partial<BatchProgress> = {}): BatchProgress => ({ done: 0, skipped: 0, failed: 0, total: 10, rate: 0, etaMs: undefined, final: false, ...over });
const summary = (over: Partial<BatchSummary> = {}): BatchSummary => ({ jobId: 'j', cancelled: false, outcomes: [], written: 0, skipped: 0, failed: 0, pending: 0, elapsedMs: 0, ...over });

describe('batch activity (what the status bar shows)', () => {
  it('holds a running batch with its latest progress, then its outcome, telling listeners each time', () => {
    const activity = new BatchActivity();
    let changes = 0;
    activity.onDidChange(() => changes++);
    const run = activity.begin('Captioning all images with M');
    assert.deepEqual(activity.running.map((r) => [r.title, r.progress]), [['Captioning all images with M', undefined]]);
    run.report(progress({ done: 3, rate: 1.5, etaMs: 4700 }));
    assert.equal(activity.running[0].progress?.done, 3);
    run.finished(summary({ written: 10 }));
    assert.deepEqual(activity.running, []);
    assert.deepEqual(activity.lastOutcome, { kind: 'summary', title: 'Captioning all images with M', summary: summary({ written: 10 }) });
    assert.equal(changes, 3);
  });

  it('ends a run once: progress or a second end after it ended changes nothing', () => {
    const activity = new BatchActivity();
    const run = activity.begin('A');
    run.failed(new Error('Open the dataset folder first.'));
    let changes = 0;
    activity.onDidChange(() => changes++);
    run.report(progress({ done: 1 }));
    run.finished(summary({ written: 1 }));
    assert.deepEqual(activity.running, []);
    assert.deepEqual(activity.lastOutcome, { kind: 'error', title: 'A', message: 'Open the dataset folder first.' });
    assert.equal(changes, 0);
  });

  it('keeps two batches running side by side, in the order they started, until each ends', () => {
    const activity = new BatchActivity();
    const first = activity.begin('first');
    const second = activity.begin('second');
    assert.deepEqual(activity.running.map((r) => r.title), ['first', 'second']);
    second.finished(summary({ written: 2 }));
    assert.deepEqual(activity.running.map((r) => r.title), ['first']);
    first.finished(summary({ cancelled: true, written: 1, pending: 4 }));
    assert.equal(activity.lastOutcome?.title, 'first', 'the outcome is the last one to end');
  });

  it('forgets the outcome when told, and a listener that was disposed hears nothing', () => {
    const activity = new BatchActivity();
    activity.begin('A').finished(summary());
    let heard = 0;
    const listener = activity.onDidChange(() => heard++);
    activity.forgetOutcome();
    assert.equal(activity.lastOutcome, undefined);
    listener.dispose();
    activity.begin('B');
    assert.equal(heard, 1);
  });
});

describe('batch progress wording', () => {
  it('says count, rate, time left and failures; no rate or time before one is known, no time left at the end', () => {
    assert.equal(progressText(progress()), '0 of 10');
    assert.equal(progressText(progress({ done: 3, skipped: 1, failed: 2, rate: 1.25, etaMs: 4_000 })), '6 of 10 · 1.3/s · about 4 s left · 2 failed');
    assert.equal(progressText(progress({ done: 10, rate: 2, etaMs: 0, final: true })), '10 of 10 · 2.0/s');
  });

  it('gives durations in seconds, minutes or hours', () => {
    assert.deepEqual([0, 89_400, 90_000, 5_399_000, 5_400_000, 9_000_000].map(formatDuration), ['0 s', '89 s', '2 min', '90 min', '1.5 h', '2.5 h']);
  });

  it('words a finished, a cancelled and a partly failed batch', () => {
    assert.equal(outcomeText(summary({ written: 238, failed: 2 })), 'Captioning finished: 238 written, 0 skipped, 2 failed');
    assert.equal(outcomeText(summary({ cancelled: true, written: 3, skipped: 1, pending: 6 })), 'Captioning cancelled: 3 written, 1 skipped, 0 failed, 6 left');
    const stopped = { errorKind: 'unreachable', reason: 'VLM: the request to gpu-box:8000 failed: the connection was refused (ECONNREFUSED).', failures: 3 };
    assert.equal(outcomeText(summary({ stopped, failed: 1, pending: 239 })), 'Captioning stopped: 0 written, 0 skipped, 1 failed, 239 left');
  });
});
