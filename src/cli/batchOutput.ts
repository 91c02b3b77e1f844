/**
 * A caption batch's progress on a terminal: a bar redrawn in place on a TTY, a line every few seconds
 * in a log file, or one JSON object per event (`--json`) for log collectors. Paths and reasons come
 * from datasets and servers: printed through terminalText, never as control sequences.
 */
import type { BatchProgress, BatchSummary, ItemOutcome } from '../core/captioning/batchTypes';
import { outcomeText, progressText } from '../core/captioning/batchProgressText';
import type { CliIo } from './cliCommand';
import { terminalText } from './terminalText';

/** What the caption command tells its output. */
export interface BatchOutput {
  item(outcome: ItemOutcome): void;
  progress(progress: BatchProgress): void;
  summary(summary: BatchSummary): void;
  /** A note or warning (a line on stderr, a `note` event in JSON). */
  note(text: string): void;
}

/** Plain lines are printed at most this often when the output is not a terminal. */
const LOG_LINE_EVERY_MS = 10_000;
const BAR_WIDTH = 24;

/** JSON lines on stdout, a bar on a TTY stderr, else plain lines on stderr. `relative` names an image for output. */
export function batchOutput(io: CliIo, json: boolean, relative: (imagePath: string) => string, now = Date.now): BatchOutput {
  if (json) return jsonOutput(io, relative);
  const tty = Boolean((io.stderr as { isTTY?: boolean }).isTTY);
  let lastLine = 0;
  let barShown = false;
  const clearBar = (): void => {
    if (barShown) io.stderr.write('\r\u001b[2K');
    barShown = false;
  };
  return {
    item(outcome) {
      if (outcome.kind !== 'failed') return;
      clearBar();
      io.stderr.write(`failed: ${terminalText(relative(outcome.item.imagePath))}: ${terminalText(outcome.reason)} (${outcome.attempts} attempts)\n`);
    },
    progress(p) {
      if (tty) {
        io.stderr.write(`\r\u001b[2K${bar(p)} ${progressText(p)}`);
        barShown = !p.final;
        if (p.final) io.stderr.write('\n');
      } else if (p.final || now() - lastLine >= LOG_LINE_EVERY_MS) {
        lastLine = now();
        io.stderr.write(`progress: ${progressText(p)}\n`);
      }
    },
    summary(s) {
      clearBar();
      io.stderr.write(`${outcomeText(s)} in ${(s.elapsedMs / 1000).toFixed(1)} s\n`);
    },
    note(text) {
      clearBar();
      io.stderr.write(`${terminalText(text)}\n`);
    },
  };
}

function jsonOutput(io: CliIo, relative: (imagePath: string) => string): BatchOutput {
  const emit = (event: object): void => {
    io.stdout.write(`${JSON.stringify(event)}\n`);
  };
  return {
    item(o) {
      const image = relative(o.item.imagePath);
      if (o.kind === 'written') emit({ event: 'item', image, outcome: 'written', attempts: o.attempts });
      else if (o.kind === 'skipped') emit({ event: 'item', image, outcome: 'skipped', reason: o.reason });
      else emit({ event: 'item', image, outcome: 'failed', reason: o.reason, attempts: o.attempts, errorKind: o.errorKind });
    },
    progress(p) {
      emit({ event: 'progress', done: p.done, skipped: p.skipped, failed: p.failed, total: p.total, rate: Number(p.rate.toFixed(3)), etaMs: p.etaMs, final: p.final });
    },
    summary(s) {
      emit({ event: 'summary', jobId: s.jobId, written: s.written, skipped: s.skipped, failed: s.failed, pending: s.pending, cancelled: s.cancelled, stopped: s.stopped, elapsedMs: s.elapsedMs });
    },
    note(text) {
      emit({ event: 'note', text });
    },
  };
}

/** `[##########..............]` for the share of settled items. */
function bar(p: BatchProgress): string {
  const settled = p.done + p.skipped + p.failed;
  const filled = p.total ? Math.round((settled / p.total) * BAR_WIDTH) : BAR_WIDTH;
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
}
