import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { EditOptionError } from '../../../src/core/edits/editPlan';
import { countMatches, findReplace, InvalidPatternError } from '../../../src/core/edits/findReplace';
import { PatternCancelledError, PatternRunner, PatternRunnerOptions, PatternThreadError, PatternTimeoutError } from '../../../src/core/patterns/patternRunner';
import { sources } from '../edits/sources';

const THREAD = path.resolve(__dirname, '../../../src/core/patterns/patternThread.js');
const regex = { regex: true, caseSensitive: true, wholeWord: false };

/** The largest delay of a 5 ms interval timer while `work` runs: how long the event loop was blocked. */
async function timerLag<T>(work: Promise<T>): Promise<{ lagMs: number; settled: PromiseSettledResult<T> }> {
  let last = performance.now();
  let lagMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    lagMs = Math.max(lagMs, now - last - 5);
    last = now;
  }, 5);
  const [settled] = await Promise.allSettled([work]);
  clearInterval(timer);
  return { lagMs, settled };
}

/** Captions on which `(a+)+$` backtracks about 2^40 times each. */
const catastrophic = sources({ short: 'a car', long1: `${'a'.repeat(40)}!`, long2: `${'a'.repeat(45)}!` });

describe('PatternRunner', function () {
  this.timeout(20_000);
  const runners: PatternRunner[] = [];
  const runner = (options: Partial<PatternRunnerOptions> = {}): PatternRunner => {
    const made = new PatternRunner({ threadPath: THREAD, ...options });
    runners.push(made);
    return made;
  };
  afterEach(() => runners.splice(0).forEach((r) => r.dispose()));

  it('counts and plans exactly as findReplace does on this thread, for literal, whole-word and regex searches', async () => {
    const input = sources({ a: 'A red car, a Blue hat\n', b: 'red red\r\n', c: undefined, d: 'café cafés 🐱\n', e: 'line one\nline two\n', f: 'no break' });
    const patterns = runner();
    const cases = [
      { find: 'red', replace: 'RED', regex: false, caseSensitive: false, wholeWord: false },
      { find: 'caf', replace: 'X', regex: false, caseSensitive: false, wholeWord: true },
      { find: '(red|blue) (car|hat)', replace: '$2 ($1)', regex: true, caseSensitive: false, wholeWord: false },
      { find: '$', replace: '!', regex: true, caseSensitive: true, wholeWord: false },
      { find: '(?:)', replace: '-', regex: true, caseSensitive: true, wholeWord: false },
      { find: '[\\s\\S]+', replace: '', regex: true, caseSensitive: true, wholeWord: false },
    ];
    for (const options of cases) {
      assert.deepEqual(await patterns.findReplace(input, options), findReplace(input, options), options.find);
      assert.deepEqual(await patterns.countMatches(input, options), countMatches(input, options), options.find);
    }
    const other = sources({ x: 'red' });
    assert.deepEqual(await patterns.countMatches(other, cases[0]), { matches: 1, files: 1 }, 'new sources replace the texts the thread holds');
  });

  it('stops a catastrophically backtracking regex within its deadline with a message saying what to do, while the host keeps ticking', async () => {
    const patterns = runner({ stallMs: 500 });
    const started = performance.now();
    const { lagMs, settled } = await timerLag(patterns.findReplace(catastrophic, { ...regex, find: '(a+)+$', replace: 'x' }));
    const elapsed = performance.now() - started;
    assert.equal(settled.status, 'rejected');
    const err = (settled as PromiseRejectedResult).reason;
    assert.ok(err instanceof PatternTimeoutError && err instanceof EditOptionError, String(err));
    assert.match(err.message, /more than 0\.5 s on one caption .*backtracks catastrophically.*\(a\+\)\+/);
    assert.ok(elapsed < 500 + 1500, `answered after ${elapsed.toFixed(0)} ms`);
    assert.ok(lagMs < 250, `the event loop was blocked for ${lagMs.toFixed(0)} ms`);

    const { lagMs: countLag, settled: counted } = await timerLag(patterns.countMatches(sources({ a: `${'x'.repeat(3000)}` }), { ...regex, find: '(x+x+)+y' }));
    assert.ok(counted.status === 'rejected' && counted.reason instanceof PatternTimeoutError, 'the live count stops too');
    assert.ok(countLag < 250, `the event loop was blocked for ${countLag.toFixed(0)} ms`);
    assert.deepEqual(await patterns.countMatches(catastrophic, { ...regex, find: 'a+!' }), { matches: 2, files: 2 }, 'the next run gets a fresh thread');
  });

  it('keeps a long run going while it makes progress, reporting captions done', async () => {
    // Each caption takes about a millisecond (2^16 backtracking steps), 3000 of them far longer than the stall limit.
    const many = sources(Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`c${i}`, `${'a'.repeat(16)}!`])));
    const patterns = runner({ stallMs: 300 });
    const progress: number[] = [];
    const started = performance.now();
    const count = await patterns.countMatches(many, { ...regex, find: '(a+)+$' }, { onProgress: (done, total) => progress.push(done / total) });
    const elapsed = performance.now() - started;
    assert.deepEqual(count, { matches: 0, files: 0 });
    assert.ok(elapsed > 600, `the run should outlast the stall limit twice to show anything, took ${elapsed.toFixed(0)} ms`);
    assert.equal(progress[0], 0, 'the start is reported');
    assert.ok(progress.length >= 4, `progress reported ${progress.length} times`);
    assert.ok(progress.slice(1).every((p, i) => p > progress[i] && p < 1), progress.join(' '));
  });

  it('cancels: a run stops at its next caption and keeps its thread; one stuck in a caption is ended within the grace time', async () => {
    const patterns = runner({ stallMs: 10_000, cancelGraceMs: 300 });
    const stuck = new AbortController();
    const running = patterns.countMatches(catastrophic, { ...regex, find: '(a+)+$' }, { signal: stuck.signal });
    setTimeout(() => stuck.abort(), 200);
    const started = performance.now();
    await assert.rejects(running, PatternCancelledError);
    assert.ok(performance.now() - started < 200 + 300 + 1000, 'ended after the grace time, not the stall limit');

    // A thread that did not stop by itself would be ended only after 10 s: a quick rejection is the thread's own.
    const patient = runner({ stallMs: 10_000, cancelGraceMs: 10_000 });
    const many = sources(Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`c${i}`, `${'a'.repeat(14)}!`])));
    const slow = new AbortController();
    let abortedAt = 0;
    const counting = patient.countMatches(many, { ...regex, find: '(a+)+$' }, { signal: slow.signal, onProgress: () => {
      abortedAt = performance.now();
      slow.abort();
    } });
    await assert.rejects(counting, PatternCancelledError);
    assert.ok(abortedAt > 0, 'it was running when cancelled');
    assert.ok(performance.now() - abortedAt < 2000, `stopped ${(performance.now() - abortedAt).toFixed(0)} ms after the abort`);
    const queued = new AbortController();
    queued.abort();
    await assert.rejects(patient.countMatches(many, { ...regex, find: 'a' }, { signal: queued.signal }), PatternCancelledError);
    assert.deepEqual(await patient.countMatches(many, { ...regex, find: 'a!' }), { matches: 5000, files: 5000 });
  });

  it('throws option errors before running anything, and reports a thread that cannot start', async () => {
    const patterns = runner();
    await assert.rejects(patterns.countMatches(catastrophic, { ...regex, find: '(a' }), InvalidPatternError);
    await assert.rejects(patterns.findReplace(catastrophic, { ...regex, find: '', replace: '' }), EditOptionError);
    const broken = runner({ threadPath: path.join(__dirname, 'no-such-thread.js') });
    await assert.rejects(broken.countMatches(catastrophic, { ...regex, find: 'a' }), (err: unknown) => err instanceof PatternThreadError && /no-such-thread|Cannot find module/.test((err as Error).message));
  });
});
