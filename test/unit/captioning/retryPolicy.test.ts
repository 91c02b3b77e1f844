import { strict as assert } from 'node:assert';
import { DEFAULT_RETRY_POLICY, backoffMs, decideRetry, isRateLimited, passedRateLimit } from '../../../src/core/captioning/retryPolicy';
import { ProviderError } from '../../../src/providers/types';

describe('retryPolicy: exponential backoff with full jitter', () => {
  const policy = DEFAULT_RETRY_POLICY;

  it('doubles the ceiling per attempt up to the cap, and jitters over all of it', () => {
    assert.equal(backoffMs(1, policy, () => 1), 1000);
    assert.equal(backoffMs(3, policy, () => 1), 4000);
    assert.equal(backoffMs(10, policy, () => 1), 60_000);
    assert.equal(backoffMs(3, policy, () => 0), 0);
    assert.equal(backoffMs(2, policy, () => 0.5), 1000);
  });

  it('retries only retryable ProviderErrors, and only up to maxAttempts', () => {
    const server = new ProviderError('server', 'HTTP 503', { status: 503 });
    assert.deepEqual(decideRetry(server, 1, policy, () => 0.5), { retry: true, delayMs: 500, fromServer: false });
    assert.deepEqual(decideRetry(server, 6, policy), { retry: false, why: 'attempts-exhausted' });
    assert.deepEqual(decideRetry(new ProviderError('auth', 'HTTP 401', { status: 401 }), 1, policy), { retry: false, why: 'not-retryable' });
    assert.deepEqual(decideRetry(new ProviderError('bad-request', 'HTTP 400'), 1, policy), { retry: false, why: 'not-retryable' });
    assert.deepEqual(decideRetry(new Error('sharp: unsupported image format'), 1, policy), { retry: false, why: 'not-retryable' });
  });

  it('waits exactly what the server asked for, and refuses absurd waits', () => {
    const asked = new ProviderError('rate-limit', 'HTTP 429', { status: 429, retryAfterMs: 2500 });
    assert.deepEqual(decideRetry(asked, 1, policy, () => 0), { retry: true, delayMs: 2500, fromServer: true });
    const tooLong = new ProviderError('rate-limit', 'HTTP 429', { status: 429, retryAfterMs: 3_600_000 });
    assert.deepEqual(decideRetry(tooLong, 1, policy), { retry: false, why: 'retry-after-too-long' });
  });

  it('recognizes a 429 by kind or status', () => {
    assert.equal(isRateLimited(new ProviderError('rate-limit', 'HTTP 429', { status: 429 })), true);
    assert.equal(isRateLimited({ status: 429 }), true);
    assert.equal(isRateLimited(new ProviderError('server', 'HTTP 500', { status: 500 })), false);
    assert.equal(isRateLimited(undefined), false);
  });

  it('counts a failure the server let through its limit (any answer but 429, a lost connection, a timeout) toward the rate it accepts', () => {
    for (const err of [new ProviderError('server', 'HTTP 500', { status: 500 }), new ProviderError('network', 'reset'), new ProviderError('timeout', 'slow'), new ProviderError('bad-request', 'HTTP 400', { status: 400 }), new ProviderError('bad-response', 'not JSON')]) {
      assert.equal(passedRateLimit(err), true, err.kind);
    }
    for (const err of [new ProviderError('rate-limit', 'HTTP 429', { status: 429 }), new ProviderError('unreachable', 'refused'), new ProviderError('cancelled', 'x'), new Error('sharp: unsupported image format')]) {
      assert.equal(passedRateLimit(err), false, (err as ProviderError).kind ?? err.message);
    }
  });
});
