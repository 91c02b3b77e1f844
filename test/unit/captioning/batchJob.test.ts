import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runBatch } from '../../../src/core/captioning/batchJob';
import type { BatchProgress, ItemOutcome } from '../../../src/core/captioning/batchTypes';
import { ProviderError } from '../../../src/providers/types';
import { TempDirs } from '../helpers/tempTree';
import { InFlightCounter, abortableSleep, boundaryOf, bytesOf, makeItems, maxInWindow, minGap } from './batchTestKit';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const crlfBom = (text: string): Buffer => Buffer.concat([BOM, Buffer.from(text.replace(/\n/g, '\r\n'), 'utf8')]);
const fast = { baseMs: 5, capMs: 40 };

/**
 * Runs `work` with Math.random fixed at `random` and every setTimeout's delay recorded: the waits a
 * batch asks for, without reading a clock a busy machine makes late.
 */
async function withTimersRecorded<T>(random: number, work: () => Promise<T>): Promise<{ asked: number[]; summary: T }> {
  const asked: number[] = [];
  const realRandom = Math.random;
  const realSetTimeout = globalThis.setTimeout;
  Math.random = () => random;
  globalThis.setTimeout = ((handler: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    asked.push(ms ?? 0);
    return realSetTimeout(handler, ms, ...args);
  }) as typeof setTimeout;
  try {
    return { asked, summary: await work() };
  } finally {
    Math.random = realRandom;
    globalThis.setTimeout = realSetTimeout;
  }
}

describe('runBatch: concurrency, rate limit and retries', () => {
  const temp = new TempDirs();
  afterEach(() => temp.cleanup());

  it('never has more requests in flight than the concurrency limit, and uses all of it', async () => {
    const items = await makeItems(await temp.make(), 40);
    const counter = new InFlightCounter();
    const summary = await runBatch({
      items,
      boundary: boundaryOf(items),
      concurrency: 5,
      generate: (item, signal) => counter.around(async () => {
        await abortableSleep(5 + Math.random() * 15, signal);
        return `caption of ${path.basename(item.imagePath)}`;
      }),
    });
    assert.equal(summary.written, 40);
    assert.equal(counter.max, 5);
  });

  it('keeps rpm=600 to at most 10 requests in any one-second window', async function () {
    this.timeout(10_000);
    const items = await makeItems(await temp.make(), 25);
    const sentAt: number[] = [];
    const summary = await runBatch({
      items,
      boundary: boundaryOf(items),
      concurrency: 8,
      rpm: 600,
      generate: async () => {
        sentAt.push(performance.now());
        return 'a caption';
      },
    });
    assert.equal(summary.written, 25);
    // Permits follow a fixed schedule: a request that woke late (a busy machine) leaves a shorter gap
    // to the next one without ever putting more than 10 in a second, which the windows below check.
    assert.ok(minGap(sentAt) >= 75, `two requests only ${minGap(sentAt).toFixed(1)} ms apart`);
    assert.ok(maxInWindow(sentAt, 990) <= 10, `${maxInWindow(sentAt, 990)} requests within 990 ms`);
    assert.ok(maxInWindow(sentAt, 1000) <= 11, `${maxInWindow(sentAt, 1000)} requests within 1 s`);
    assert.ok(sentAt[24] - sentAt[0] >= 2350, `25 requests in ${(sentAt[24] - sentAt[0]).toFixed(0)} ms`);
  });

  it('paces retries with the same limit', async () => {
    const items = await makeItems(await temp.make(), 6);
    const sentAt: number[] = [];
    const tried = new Set<string>();
    const summary = await runBatch({
      items,
      boundary: boundaryOf(items),
      concurrency: 6,
      rpm: 1200,
      retry: fast,
      generate: async (item) => {
        sentAt.push(performance.now());
        if (!tried.has(item.imagePath)) {
          tried.add(item.imagePath);
          throw new ProviderError('server', 'HTTP 503', { status: 503 });
        }
        return 'a caption';
      },
    });
    assert.equal(summary.written, 6);
    assert.equal(sentAt.length, 12);
    assert.ok(minGap(sentAt) >= 48, `retries only ${minGap(sentAt).toFixed(1)} ms apart at 20/s`);
  });

  it('waits the retryAfterMs the server asked for before trying again', async () => {
    const [item] = await makeItems(await temp.make(), 1);
    const attemptsAt: number[] = [];
    const { asked, summary } = await withTimersRecorded(0.5, () => runBatch({
      items: [item],
      boundary: boundaryOf([item]),
      retry: fast,
      generate: async () => {
        attemptsAt.push(performance.now());
        if (attemptsAt.length === 1) throw new ProviderError('rate-limit', 'HTTP 429', { status: 429, retryAfterMs: 300 });
        return 'a caption';
      },
    }));
    assert.equal(summary.written, 1);
    assert.deepEqual(summary.outcomes.map((o) => o.kind === 'written' && o.attempts), [2]);
    // the server's 300 ms, not a back-off (at most 5 ms here); the clock only says it was not shorter
    assert.ok(asked.includes(300) && asked.every((ms) => ms <= 300), `timers asked for ${asked.join(', ')} ms`);
    const waited = attemptsAt[1] - attemptsAt[0];
    assert.ok(waited >= 299, `retried after ${waited.toFixed(0)} ms instead of 300 ms`);
  });

  it('backs off within the doubling ceilings without retryAfterMs, and gives up after maxAttempts', async () => {
    const [item] = await makeItems(await temp.make(), 1);
    const attemptsAt: number[] = [];
    // The waits the job asks its timers for, with the jitter drawn at 0.5 of each ceiling: checked
    // exactly, where the clock of a loaded machine only says a timer fired late.
    const { asked, summary } = await withTimersRecorded(0.5, () => runBatch({
      items: [item],
      boundary: boundaryOf([item]),
      retry: { baseMs: 40, capMs: 100, maxAttempts: 4 },
      generate: async () => {
        attemptsAt.push(performance.now());
        throw new ProviderError('timeout', 'no answer in time');
      },
    }));
    assert.equal(attemptsAt.length, 4);
    assert.deepEqual(asked, [20, 40, 50], 'half of each ceiling: 40, 80, then the 100 ms cap; none after the last attempt');
    const waits = attemptsAt.slice(1).map((t, i) => t - attemptsAt[i]);
    waits.forEach((w, i) => assert.ok(w >= asked[i] - 1, `wait ${i + 1} was ${w.toFixed(0)} ms, shorter than the ${asked[i]} ms asked`));
    const [outcome] = summary.outcomes;
    assert.equal(outcome.kind, 'failed');
    assert.equal(outcome.kind === 'failed' && outcome.attempts, 4);
    assert.match(outcome.kind === 'failed' ? outcome.reason : '', /no answer in time \(gave up after 4 attempts\)/);
    assert.equal(bytesOf(item.captionPath), undefined);
  });

  it('fails a non-retryable error at once and carries on with the other images', async () => {
    const items = await makeItems(await temp.make(), 5);
    const calls = new Map<string, number>();
    const summary = await runBatch({
      items,
      boundary: boundaryOf(items),
      retry: fast,
      generate: async (item) => {
        calls.set(item.imagePath, (calls.get(item.imagePath) ?? 0) + 1);
        if (item === items[2]) throw new ProviderError('auth', "NVIDIA API key rejected (401): set it with 'Image Captioner: Set API Key'", { status: 401 });
        if (item === items[3]) throw new Error('sharp: Input file contains unsupported image format');
        return 'a caption';
      },
    });
    assert.equal(summary.written, 3);
    assert.equal(summary.failed, 2);
    assert.equal(calls.get(items[2].imagePath), 1);
    assert.equal(calls.get(items[3].imagePath), 1);
    const failed = summary.outcomes.filter((o): o is Extract<ItemOutcome, { kind: 'failed' }> => o.kind === 'failed');
    assert.deepEqual(failed.map((o) => [o.item, o.attempts, o.errorKind]).sort(), [[items[2], 1, 'auth'], [items[3], 1, undefined]].sort());
    assert.match(failed.find((o) => o.item === items[2])!.reason, /Set API Key/);
  });

  it('finds a server limit below rpm by slowing down on 429s, without failing an image', async function () {
    this.timeout(15_000);
    const items = await makeItems(await temp.make(), 90);
    const accepted: number[] = [];
    let refused = 0;
    const limitPerSecond = 30;
    const summary = await runBatch({
      items,
      boundary: boundaryOf(items),
      concurrency: 8,
      rpm: 60_000,
      retry: fast, // quick retries exhaust their attempts unless the pace itself comes down
      generate: async (_item, signal) => {
        await abortableSleep(20, signal);
        const now = performance.now();
        if (accepted.filter((t) => t > now - 1000).length >= limitPerSecond) {
          refused++;
          throw new ProviderError('rate-limit', 'HTTP 429: Too Many Requests', { status: 429 });
        }
        accepted.push(now);
        return 'a caption';
      },
    });
    assert.equal(summary.failed, 0);
    assert.equal(summary.written, 90);
    assert.ok(refused < 40, `${refused} requests refused for 90 images`);
    assert.ok(summary.elapsedMs < 4500, `90 images at 30/s took ${summary.elapsedMs.toFixed(0)} ms: the pace collapsed`);
  });

  it('under 500s holds the rate the server lets through, not the rate of successes (a 500 counts against the limit too)', async function () {
    this.timeout(20_000);
    const items = await makeItems(await temp.make(), 80);
    const accepted: number[] = [];
    const failedOnce = new Set<string>();
    const limitPerSecond = 40;
    const summary = await runBatch({
      items,
      boundary: boundaryOf(items),
      concurrency: 8,
      rpm: 60_000,
      retry: fast,
      generate: async (item, signal) => {
        await abortableSleep(20, signal);
        const now = performance.now();
        if (accepted.filter((t) => t > now - 1000).length >= limitPerSecond) throw new ProviderError('rate-limit', 'HTTP 429: Too Many Requests', { status: 429 });
        accepted.push(now);
        // half of what the server takes fails: each image's first accepted request
        if (!failedOnce.has(item.imagePath)) {
          failedOnce.add(item.imagePath);
          throw new ProviderError('server', 'HTTP 500: inference failed', { status: 500 });
        }
        return 'a caption';
      },
    });
    assert.equal(summary.failed, 0);
    assert.equal(summary.written, 80);
    // 160 requests through a 40/s limit: about 4.5 s; paced by the successes (20/s) it takes about 8.5 s
    assert.ok(summary.elapsedMs < 6500, `160 accepted requests at 40/s took ${summary.elapsedMs.toFixed(0)} ms: the 500s were taken for a lower limit`);
  });
});

describe('runBatch: protected captions, cancellation, progress', () => {
  const temp = new TempDirs();
  afterEach(() => temp.cleanup());

  it('skips a caption open with unsaved changes, checked again right before writing', async () => {
    const items = await makeItems(await temp.make(), 3, (i) => `old ${i}\n`);
    const dirty = new Set([items[0].captionPath]);
    const asked: string[] = [];
    const summary = await runBatch({
      items,
      boundary: boundaryOf(items),
      mode: 'overwrite',
      concurrency: 1,
      isProtected: (captionPath) => dirty.has(captionPath),
      generate: async (item) => {
        asked.push(item.imagePath);
        if (item === items[1]) dirty.add(items[1].captionPath); // the user starts typing while the model answers
        return 'new caption';
      },
    });
    assert.deepEqual(asked, [items[1].imagePath, items[2].imagePath]);
    assert.deepEqual(bytesOf(items[0].captionPath), Buffer.from('old 0\n'));
    assert.deepEqual(bytesOf(items[1].captionPath), Buffer.from('old 1\n'));
    assert.deepEqual(bytesOf(items[2].captionPath), Buffer.from('new caption\n'));
    const protectedOnes = summary.outcomes.filter((o) => o.kind === 'skipped' && o.reason === 'protected').map((o) => o.item);
    assert.deepEqual(protectedOnes, [items[0], items[1]]);
  });

  it('cancel mid-batch: returns promptly, every caption old or new and never partial, no temp files', async () => {
    const dir = await temp.make();
    const old = (i: number): Buffer => (i % 2 ? crlfBom(`old caption ${i}\n`) : Buffer.from(`old caption ${i}`));
    const items = await makeItems(dir, 60, old);
    const controller = new AbortController();
    let written = 0;
    let abortedAt = 0;
    const summary = await runBatch({
      items,
      boundary: boundaryOf(items),
      mode: 'overwrite',
      concurrency: 6,
      signal: controller.signal,
      onItem: (o) => {
        if (o.kind === 'written' && ++written === 15) {
          abortedAt = performance.now();
          controller.abort();
        }
      },
      generate: (item, signal) => abortableSleep(10 + Math.random() * 20, signal).then(() => `new caption for ${path.basename(item.imagePath)} ${'x'.repeat(20_000)}`),
    });
    assert.ok(performance.now() - abortedAt < 100, `returned ${(performance.now() - abortedAt).toFixed(0)} ms after cancel`);
    assert.equal(summary.cancelled, true);
    assert.ok(summary.pending > 0);
    const isNew = items.map((item, i) => {
      const bytes = bytesOf(item.captionPath)!;
      if (bytes.equals(old(i))) return false;
      const expected = `new caption for ${path.basename(item.imagePath)} ${'x'.repeat(20_000)}\n`;
      assert.deepEqual(bytes, i % 2 ? crlfBom(expected) : Buffer.from(expected.trimEnd()), `${item.captionPath} is neither old nor new`);
      return true;
    });
    assert.equal(isNew.filter(Boolean).length, summary.written);
    assert.deepEqual(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
  });

  it('cancel returns promptly even when generate ignores its signal', async () => {
    const items = await makeItems(await temp.make(), 4);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = performance.now();
    const summary = await runBatch({ items, boundary: boundaryOf(items), signal: controller.signal, generate: () => new Promise<string>(() => undefined) });
    assert.ok(performance.now() - started < 200);
    assert.equal(summary.cancelled, true);
    assert.equal(summary.pending, 4);
    items.forEach((item) => assert.equal(bytesOf(item.captionPath), undefined));
  });

  it('reports progress at most once per interval, then once more at the end', async () => {
    const items = await makeItems(await temp.make(), 40, (i) => (i < 4 ? 'had one' : undefined));
    const reports: { at: number; progress: BatchProgress }[] = [];
    await runBatch({
      items,
      boundary: boundaryOf(items),
      concurrency: 2,
      progressIntervalMs: 100,
      onProgress: (progress) => reports.push({ at: performance.now(), progress }),
      generate: async (item, signal) => {
        await abortableSleep(15, signal);
        if (item === items[5]) throw new ProviderError('bad-request', 'HTTP 400');
        return 'a caption';
      },
    });
    const regular = reports.filter((r) => !r.progress.final);
    assert.ok(regular.length >= 2, `${regular.length} reports`);
    assert.ok(minGap(regular.map((r) => r.at)) >= 95, 'two reports closer than the interval');
    const last = reports[reports.length - 1].progress;
    assert.equal(reports.filter((r) => r.progress.final).length, 1);
    assert.deepEqual({ done: last.done, skipped: last.skipped, failed: last.failed, total: last.total, final: last.final, etaMs: last.etaMs }, { done: 35, skipped: 4, failed: 1, total: 40, final: true, etaMs: 0 });
    assert.ok(last.rate > 20 && last.rate < 200, `rate ${last.rate}`);
  });
});
