/** Export progress as plain lines on stderr: readable in a terminal and in a scheduler's log file alike. */
import type { ExportProgress } from '../../core/export';

/** At most one line this often: a 250,000-image export logs a few hundred lines, not a line per image. */
const INTERVAL_MS = 5_000;

/** A progress callback printing `LABEL: done of total UNIT, MB` every few seconds; the command's summary line says the end. */
export function progressPrinter(stderr: NodeJS.WritableStream, label: string, unit: string, intervalMs = INTERVAL_MS): ExportProgress {
  let lastAt = performance.now();
  return (done, total, bytes) => {
    const now = performance.now();
    if (done >= total || now - lastAt < intervalMs) return;
    lastAt = now;
    const percent = total ? ` (${Math.floor((done / total) * 100)}%)` : '';
    stderr.write(`${label}: ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} ${unit}${percent}, ${(bytes / 1e6).toFixed(1)} MB\n`);
  };
}
