import { strict as assert } from 'node:assert';
import { AdaptiveRate } from '../../../src/core/captioning/adaptiveRate';
import { RateLimiter } from '../../../src/core/captioning/rateLimiter';

/** An AdaptiveRate on a clock the test moves; `traffic` sends and accepts at a steady rate. */
function setup(configured: number) {
  let now = 0;
  const clock = (): number => now;
  const limiter = new RateLimiter(configured, clock);
  const adaptive = new AdaptiveRate(limiter, configured, undefined, clock);
  const traffic = (perSecond: number, seconds: number, accepted = perSecond): void => {
    const steps = Math.round(perSecond * seconds);
    for (let i = 0; i < steps; i++) {
      now += 1000 / perSecond;
      adaptive.onSent();
      if (i < (accepted / perSecond) * steps) adaptive.onAccepted();
    }
  };
  return { adaptive, limiter, traffic, advance: (ms: number) => (now += ms) };
}

describe('AdaptiveRate: AIMD under 429s', () => {
  it('halves from the rate the server accepted, not from a configured rpm it never reached', () => {
    const { adaptive, limiter, traffic } = setup(100);
    traffic(50, 2, 20); // sending 50/s, the server accepts 20/s
    adaptive.onRateLimited();
    assert.equal(adaptive.serverLimit, 20);
    assert.equal(adaptive.rate, 10);
    assert.equal(limiter.rate, 10);
  });

  it('lowers the pace once for a burst of 429s from requests already in flight', () => {
    const { adaptive, traffic, advance } = setup(100);
    traffic(40, 2, 20);
    adaptive.onRateLimited();
    advance(200);
    adaptive.onRateLimited();
    assert.equal(adaptive.rate, 10);
  });

  it('wins back 95% of the limit within about a second, then probes above it slowly', () => {
    const { adaptive, traffic } = setup(100);
    traffic(40, 2, 20);
    adaptive.onRateLimited();
    traffic(12, 1);
    assert.ok(adaptive.rate >= 18.5 && adaptive.rate <= 19, `after 1 s: ${adaptive.rate}`);
    traffic(12, 0.5);
    assert.ok(adaptive.rate >= 19 && adaptive.rate <= 19.1, `after 1.5 s: ${adaptive.rate}`);
    traffic(19, 5);
    assert.ok(adaptive.rate > 19.8 && adaptive.rate < 20.2, `after 6.5 s: ${adaptive.rate}`);
  });

  it('never goes above the configured rate', () => {
    const { adaptive, traffic } = setup(10);
    traffic(10, 2, 8);
    adaptive.onRateLimited();
    traffic(10, 60);
    assert.equal(adaptive.rate, 10);
  });
});
