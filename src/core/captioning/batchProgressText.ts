import type { BatchProgress, BatchSummary } from './batchTypes';

/**
 * The words for a batch's progress and outcome, one wording for every place that shows them
 * (the progress notification, the status bar, the finish message, the log).
 */

/** "12 of 240 · 3.8/s · about 1 min left · 2 failed". */
export function progressText(p: BatchProgress): string {
  const parts = [`${p.done + p.skipped + p.failed} of ${p.total}`];
  if (p.rate > 0) parts.push(`${p.rate.toFixed(1)}/s`);
  if (p.etaMs !== undefined && !p.final) parts.push(`about ${formatDuration(p.etaMs)} left`);
  if (p.failed) parts.push(`${p.failed} failed`);
  return parts.join(' · ');
}

/** "Captioning finished: 238 written, 0 skipped, 2 failed" (", 5 left" when some were never started); cancelled or stopped says so. */
export function outcomeText(s: BatchSummary): string {
  return `${s.cancelled ? 'Captioning cancelled' : s.stopped ? 'Captioning stopped' : 'Captioning finished'}: ${s.written} written, ${s.skipped} skipped, ${s.failed} failed${s.pending ? `, ${s.pending} left` : ''}`;
}

/** "45 s", "12 min", "1.5 h". */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 90 ? `${s} s` : s < 5400 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`;
}
