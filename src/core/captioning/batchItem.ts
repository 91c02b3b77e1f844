import { readCaption, writeCaption } from '../captions/captionStore';
import type { DecodedCaption } from '../captions/captionCodec';
import { BatchCancelledError, delay, raceAbort, throwIfAborted } from './abortableDelay';
import type { AdaptiveRate } from './adaptiveRate';
import type { BatchJournal } from './batchJournal';
import { hashText } from './batchJournal';
import type { BatchItem, BatchRuntime, ItemOutcome } from './batchTypes';
import { BatchMode, mergeCaption } from './captionMerge';
import type { FailFast } from './failFast';
import { RateLimiter, monotonicClock } from './rateLimiter';
import { RetryDecision, RetryPolicy, decideRetry, isRateLimited, passedRateLimit } from './retryPolicy';

/** Everything one item needs from its batch. */
export interface ItemContext {
  readonly mode: BatchMode;
  readonly separator?: string;
  readonly runtime: BatchRuntime;
  readonly policy: RetryPolicy;
  readonly limiter: RateLimiter;
  readonly adaptive: AdaptiveRate;
  /** Stops the batch (aborting `signal`) after a few hopeless failures in a row. */
  readonly failFast: FailFast;
  readonly signal: AbortSignal;
  readonly journal?: BatchJournal;
}

type Generated = { readonly ok: true; readonly text: string; readonly attempts: number } | { readonly ok: false; readonly outcome: ItemOutcome };

/**
 * Runs one item to its outcome: checks, request with retries, atomic write, journal.
 * Throws BatchCancelledError when the batch is cancelled before the write; nothing is written then.
 */
export async function runItem(item: BatchItem, ctx: ItemContext): Promise<ItemOutcome> {
  throwIfAborted(ctx.signal);
  if (await ctx.runtime.isProtected?.(item.captionPath)) return skipped(item, 'protected', ctx);
  const before = await readExisting(item, 0, ctx);
  if ('kind' in before) return before;
  if (ctx.mode === 'skip' && hasText(before.caption)) return skipped(item, 'had-caption', ctx);

  const generated = await generateWithRetries(item, ctx);
  if (!generated.ok) return generated.outcome;
  throwIfAborted(ctx.signal);
  if (await ctx.runtime.isProtected?.(item.captionPath)) return skipped(item, 'protected', ctx);
  // read again: the user may have saved this caption while the model was answering
  const current = await readExisting(item, generated.attempts, ctx);
  if ('kind' in current) return current;
  if (ctx.mode === 'skip' && hasText(current.caption)) return skipped(item, 'had-caption', ctx);

  const existing = current.caption?.text ?? '';
  const text = ctx.runtime.merge ? ctx.runtime.merge(existing, generated.text, ctx.mode) : mergeCaption(existing, generated.text, ctx.mode, ctx.separator);
  const captionHash = hashText(text);
  await ctx.journal?.record({ type: 'writing', image: item.imagePath, captionHash });
  try {
    await writeCaption(item.captionPath, text, ctx.runtime.boundary, current.caption?.format);
  } catch (err) {
    return failed(item, `could not write ${item.captionPath}: ${messageOf(err)}`, generated.attempts, 'write', ctx);
  }
  await ctx.journal?.record({ type: 'item', image: item.imagePath, outcome: 'written', captionHash, attempts: generated.attempts });
  return { kind: 'written', item, attempts: generated.attempts, text };
}

async function generateWithRetries(item: BatchItem, ctx: ItemContext): Promise<Generated> {
  for (let attempt = 1; ; attempt++) {
    await ctx.limiter.acquire(ctx.signal);
    ctx.adaptive.onSent();
    try {
      const text = (await raceAbort(ctx.runtime.generate(item, ctx.signal), ctx.signal)).trim();
      ctx.adaptive.onAccepted();
      ctx.failFast.onSuccess();
      if (text === '') return { ok: false, outcome: await failed(item, 'the model returned no text', attempt, 'empty', ctx) };
      return { ok: true, text, attempts: attempt };
    } catch (err) {
      if (ctx.signal.aborted || err instanceof BatchCancelledError) throw new BatchCancelledError();
      // may stop the batch: a retry's wait then ends at once and the item stays pending for Resume
      ctx.failFast.onFailure(err);
      // a 500 or a reset passed the server's limit: counted as accepted, the limit is not taken for 6% lower under 6% faults
      if (passedRateLimit(err)) ctx.adaptive.onAccepted();
      const decision = decideRetry(err, attempt, ctx.policy);
      // a 429 that names its wait is paced by that wait; one without is answered by AIMD
      if (isRateLimited(err) && !(decision.retry && decision.fromServer)) ctx.adaptive.onRateLimited();
      if (!decision.retry) return { ok: false, outcome: await failed(item, `${messageOf(err)}${giveUpNote(decision.why, attempt)}`, attempt, errorKindOf(err), ctx) };
      // a server-requested wait holds every request, not only this one
      if (decision.fromServer) ctx.limiter.pauseUntil(monotonicClock() + decision.delayMs);
      await delay(decision.delayMs, ctx.signal);
    }
  }
}

/** The caption on disk, or a failed outcome for one that must not be touched (non-UTF-8, too large). */
async function readExisting(item: BatchItem, attempts: number, ctx: ItemContext): Promise<{ readonly caption: DecodedCaption | undefined } | ItemOutcome> {
  try {
    return { caption: await readCaption(item.captionPath, ctx.runtime.boundary) };
  } catch (err) {
    return failed(item, messageOf(err), attempts, 'unreadable-caption', ctx);
  }
}

function giveUpNote(why: Extract<RetryDecision, { retry: false }>['why'], attempts: number): string {
  if (why === 'attempts-exhausted') return ` (gave up after ${attempts} attempts)`;
  if (why === 'retry-after-too-long') return ' (the server asked to wait too long)';
  return '';
}

function hasText(caption: DecodedCaption | undefined): boolean {
  return (caption?.text.trim() ?? '') !== '';
}

async function skipped(item: BatchItem, reason: 'had-caption' | 'protected', ctx: ItemContext): Promise<ItemOutcome> {
  await ctx.journal?.record({ type: 'item', image: item.imagePath, outcome: 'skipped', reason });
  return { kind: 'skipped', item, reason };
}

async function failed(item: BatchItem, reason: string, attempts: number, errorKind: string | undefined, ctx: ItemContext): Promise<ItemOutcome> {
  await ctx.journal?.record({ type: 'item', image: item.imagePath, outcome: 'failed', reason, attempts });
  return { kind: 'failed', item, reason, attempts, errorKind };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function errorKindOf(err: unknown): string | undefined {
  const kind = (err as { kind?: unknown } | null)?.kind;
  return typeof kind === 'string' ? kind : undefined;
}
