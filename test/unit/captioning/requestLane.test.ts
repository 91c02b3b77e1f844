import { strict as assert } from 'node:assert';
import { BatchCancelledError } from '../../../src/core/captioning/abortableDelay';
import { RequestLane } from '../../../src/core/captioning/requestLane';
import { DEFAULT_RETRY_POLICY } from '../../../src/core/captioning/retryPolicy';
import { ProviderError } from '../../../src/providers/types';
import { within } from '../helpers/timeLimit';

const FAST = { ...DEFAULT_RETRY_POLICY, baseMs: 10, capMs: 20 };

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('RequestLane: single requests under the batch engine\'s limits', () => {
  it('runs at most `concurrency` at once, in arrival order', async () => {
    const lane = new RequestLane({ concurrency: 2 }, FAST);
    let active = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        lane.run(async () => {
          order.push(n);
          most = Math.max(most, ++active);
          await sleep(20);
          active--;
        }),
      ),
    );
    assert.equal(most, 2);
    assert.deepEqual(order, [1, 2, 3, 4, 5]);
    lane.dispose();
  });

  it('paces to the requests per minute', async () => {
    const lane = new RequestLane({ concurrency: 4, rpm: 600 }, FAST); // one per 100 ms
    const times: number[] = [];
    await Promise.all([0, 1, 2].map(() => lane.run(async () => void times.push(performance.now()))));
    assert.ok(times[1] - times[0] >= 95 && times[2] - times[1] >= 95, `gaps ${times[1] - times[0]}, ${times[2] - times[1]}`);
    lane.dispose();
  });

  it('retries retryable errors, honouring a Retry-After, and stops at what the caller will not retry', async () => {
    const lane = new RequestLane({ concurrency: 1 }, FAST);
    let attempts = 0;
    const started = performance.now();
    const text = await lane.run(async () => {
      attempts++;
      if (attempts === 1) throw new ProviderError('rate-limit', 'HTTP 429', { status: 429, retryAfterMs: 150 });
      if (attempts === 2) throw new ProviderError('server', 'HTTP 500', { status: 500 });
      return 'ok';
    });
    assert.equal(text, 'ok');
    assert.equal(attempts, 3);
    assert.ok(performance.now() - started >= 145, 'the Retry-After was waited for');
    let refused = 0;
    await assert.rejects(
      lane.run(async () => {
        refused++;
        throw new ProviderError('server', 'HTTP 500', { status: 500 });
      }, undefined, () => false),
      /HTTP 500/,
    );
    assert.equal(refused, 1);
    await assert.rejects(lane.run(async () => Promise.reject(new ProviderError('bad-request', 'HTTP 400'))), /HTTP 400/);
    lane.dispose();
  });

  it('a request cancelled while it waits for a slot never runs, and frees nothing it did not hold', async () => {
    const lane = new RequestLane({ concurrency: 1 }, FAST);
    const controller = new AbortController();
    const ran: string[] = [];
    const first = lane.run(async () => {
      ran.push('first');
      await sleep(60);
    });
    const cancelled = lane.run(async () => void ran.push('cancelled'), controller.signal);
    const third = lane.run(async () => {
      ran.push('third');
    });
    controller.abort();
    await assert.rejects(cancelled, BatchCancelledError);
    await within(2000, Promise.all([first, third]));
    assert.deepEqual(ran, ['first', 'third']);
    lane.dispose();
  });
});
