import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { runBatch } from '../../../src/core/captioning/batchJob';
import { listJournals } from '../../../src/core/captioning/batchJournal';
import { resumeBatch } from '../../../src/core/captioning/batchResume';
import { BatchStop, FailFast, isHopeless } from '../../../src/core/captioning/failFast';
import { connectionError } from '../../../src/providers/connectionErrors';
import { errorFromResponse } from '../../../src/providers/httpErrors';
import { ProviderError, ProviderErrorKind } from '../../../src/providers/types';
import { TempDirs } from '../helpers/tempTree';
import { abortableSleep, boundaryOf, bytesOf, makeItems } from './batchTestKit';

const context = { service: 'Test VLM' };
const fast = { baseMs: 5, capMs: 40 };

/** What a fetch failure with this code becomes. */
const failedWith = (code: string): ProviderError => connectionError(Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) }), context, { step: 'request', host: 'gpu-box:8000' });
const answered = (status: number): ProviderError => errorFromResponse(status, '{"detail":"no"}', undefined, context);

describe('fail fast: which errors stop a batch', () => {
  it('decides for every ProviderError kind (a new kind must be placed here)', () => {
    const hopeless: Record<ProviderErrorKind, boolean> = {
      unreachable: true, auth: true, 'not-found': true, gone: true,
      'rate-limit': false, server: false, timeout: false, network: false, 'bad-request': false, 'bad-response': false, cancelled: false,
    };
    for (const [kind, expected] of Object.entries(hopeless)) assert.equal(isHopeless(new ProviderError(kind as ProviderErrorKind, 'x')), expected, kind);
    assert.equal(isHopeless(new Error('sharp: unsupported image format')), false);
    assert.equal(isHopeless(undefined), false);
  });

  it('cannot be reached, key refused, model missing stop; 429, 5xx, resets, timeouts and bad requests keep their backoff', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'ERR_SSL_WRONG_VERSION_NUMBER', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID']) {
      assert.equal(isHopeless(failedWith(code)), true, code);
    }
    for (const code of ['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE']) assert.equal(isHopeless(failedWith(code)), false, code);
    for (const status of [401, 403, 404, 410]) assert.equal(isHopeless(answered(status)), true, String(status));
    for (const status of [400, 408, 413, 422, 429, 500, 502, 503, 504]) assert.equal(isHopeless(answered(status)), false, String(status));
  });

  it('counts hopeless failures in a row across requests: a success starts again, transient errors neither count nor reset', () => {
    const stops: BatchStop[] = [];
    const failFast = new FailFast(3, (why) => stops.push(why));
    const refused = failedWith('ECONNREFUSED');
    failFast.onFailure(refused);
    failFast.onFailure(refused);
    failFast.onSuccess();
    failFast.onFailure(refused);
    failFast.onFailure(answered(503));
    failFast.onFailure(answered(429));
    failFast.onFailure(refused);
    assert.equal(stops.length, 0);
    failFast.onFailure(answered(401));
    assert.equal(stops.length, 1);
    assert.deepEqual({ ...stops[0], reason: undefined }, { errorKind: 'auth', failures: 3, reason: undefined });
    assert.equal(stops[0].reason, answered(401).message, 'the last error says why');
    failFast.onFailure(refused);
    assert.equal(stops.length, 1, 'stops once');
    assert.equal(failFast.stopped, stops[0]);
  });
});

describe('runBatch stops a hopeless batch and leaves what it did not try for Resume', () => {
  const temp = new TempDirs();
  afterEach(() => temp.cleanup());

  it('service unreachable: stops after 3 failed requests across concurrent ones, with nothing failed and every image pending', async () => {
    const items = await makeItems(await temp.make(), 40);
    let calls = 0;
    const started = performance.now();
    const summary = await runBatch({
      items,
      boundary: boundaryOf(items),
      concurrency: 4,
      journal: { folder: await temp.make('ic-storage-') },
      generate: async (_item, signal) => {
        calls++;
        await abortableSleep(5, signal);
        throw failedWith('ECONNREFUSED');
      },
    });
    assert.ok(performance.now() - started < 1000, `took ${(performance.now() - started).toFixed(0)} ms`);
    assert.ok(calls <= 4, `${calls} requests were sent`);
    assert.equal(summary.stopped?.errorKind, 'unreachable');
    assert.equal(summary.stopped?.failures, 3);
    assert.match(summary.stopped?.reason ?? '', /the request to gpu-box:8000 failed: the connection was refused/);
    assert.equal(summary.cancelled, false, 'stopped is not cancelled by the user');
    assert.deepEqual([summary.written, summary.failed, summary.pending], [0, 0, 40], 'retryable failures were cut short: pending, not failed');
    assert.ok(summary.journalFile, 'the journal stays for Resume');
    const { jobs: [job] } = await listJournals(path.dirname(summary.journalFile));
    assert.deepEqual([job.done, job.failed, job.remaining], [0, 0, 40]);

    const resumed = await resumeBatch(summary.journalFile, { boundary: boundaryOf(items), generate: async (item) => `new ${path.basename(item.imagePath)}` });
    assert.equal(resumed.written, 40);
    assert.equal(bytesOf(items[39].captionPath)!.toString(), 'new img039.jpg');
  });

  it('key refused one request at a time: three images failed, the others pending and never sent', async () => {
    const items = await makeItems(await temp.make(), 10);
    const asked: string[] = [];
    const summary = await runBatch({
      items,
      boundary: boundaryOf(items),
      concurrency: 1,
      journal: { folder: await temp.make('ic-storage-') },
      generate: async (item) => {
        asked.push(item.imagePath);
        throw answered(401);
      },
    });
    assert.deepEqual(asked, items.slice(0, 3).map((i) => i.imagePath));
    assert.deepEqual([summary.written, summary.failed, summary.pending], [0, 3, 7]);
    assert.equal(summary.stopped?.errorKind, 'auth');
    const { jobs: [job] } = await listJournals(path.dirname(summary.journalFile!));
    assert.deepEqual([job.failed, job.remaining], [3, 10], 'Resume runs the failed images and the rest');
  });

  it('a success between failures keeps the batch going: a model that refuses some images is not a hopeless one', async () => {
    const items = await makeItems(await temp.make(), 12);
    let n = 0;
    const summary = await runBatch({
      items,
      boundary: boundaryOf(items),
      concurrency: 1,
      generate: async () => {
        if (++n % 3 !== 0) throw answered(404);
        return 'a caption';
      },
    });
    assert.equal(summary.stopped, undefined);
    assert.deepEqual([summary.written, summary.failed, summary.pending], [4, 8, 0]);
  });

  it('transient errors keep their backoff and never stop the batch: 500 then ok, 429s, resets', async () => {
    const items = await makeItems(await temp.make(), 6);
    const attempts = new Map<string, number>();
    // this 429 names its wait (a short one): one without would slow the whole batch down by AIMD
    const rateLimited = errorFromResponse(429, '', { get: (name) => (name === 'retry-after-ms' ? '5' : null) }, context);
    const transient = [answered(500), rateLimited, failedWith('ECONNRESET'), answered(503)];
    const summary = await runBatch({
      items,
      boundary: boundaryOf(items),
      concurrency: 3,
      retry: fast,
      generate: async (item) => {
        const n = (attempts.get(item.imagePath) ?? 0) + 1;
        attempts.set(item.imagePath, n);
        if (n <= transient.length) throw transient[n - 1];
        return 'finally';
      },
    });
    assert.equal(summary.stopped, undefined);
    assert.equal(summary.written, 6);
    assert.ok([...attempts.values()].every((n) => n === 5), 'each image retried through every transient error');
  });

  it('stopAfterHopeless is the policy\'s: 1 stops at the first hopeless failure', async () => {
    const items = await makeItems(await temp.make(), 5);
    const summary = await runBatch({ items, boundary: boundaryOf(items), concurrency: 1, retry: { stopAfterHopeless: 1 }, generate: async () => { throw answered(410); } });
    assert.deepEqual([summary.failed, summary.pending, summary.stopped?.errorKind], [1, 4, 'gone']);
  });

  it('a cancel by the user is still a cancel, not a stop', async () => {
    const items = await makeItems(await temp.make(), 5);
    const controller = new AbortController();
    const summary = await runBatch({
      items,
      boundary: boundaryOf(items),
      concurrency: 1,
      signal: controller.signal,
      generate: async (_item, signal) => {
        controller.abort();
        await abortableSleep(1000, signal);
        return 'never';
      },
    });
    assert.equal(summary.cancelled, true);
    assert.equal(summary.stopped, undefined);
    assert.equal(summary.pending, 5);
  });
});
