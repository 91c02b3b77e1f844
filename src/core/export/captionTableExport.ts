/** A caption table, `file_name,text` (`,second_text` with second captions, `,rating` when the dataset has ratings): CSV (RFC 4180) or JSONL, UTF-8 without BOM, streamed row by row. */
import { AtomicFileStream } from './atomicFileStream';
import { ProgressThrottle } from './exportProgress';
import { ExportControl, ExportReport, ExportSample } from './exportTypes';
import { loadCaption, loadSecondCaption, statImage } from './sampleSource';

export interface CaptionTableOptions extends ExportControl {
  readonly outFile: string;
  readonly format: 'csv' | 'jsonl';
}

/** A cell a spreadsheet would run as a formula starts with one of these (OWASP's CSV injection list). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * RFC 4180: a field holding a comma, quote or line break is quoted, with its quotes doubled. A field
 * a spreadsheet would run as a formula gets a leading `'` and is quoted (OWASP), so it opens as text.
 */
export function csvField(value: string): string {
  const formula = FORMULA_START.test(value);
  const text = formula ? `'${value}` : value;
  return formula || /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row; `second_text` only with second captions, `rating` only when the dataset has ratings (then every row has one, 0 for unrated). */
function row(format: CaptionTableOptions['format'], fileName: string, text: string, secondText: string | undefined, rating: number | undefined): string {
  if (format === 'csv') return `${csvField(fileName)},${csvField(text)}${secondText === undefined ? '' : `,${csvField(secondText)}`}${rating === undefined ? '' : `,${rating}`}\r\n`;
  const fields: Record<string, unknown> = { file_name: fileName, text };
  if (secondText !== undefined) fields.second_text = secondText;
  if (rating !== undefined) fields.rating = rating;
  return `${JSON.stringify(fields)}\n`;
}

export async function exportCaptionTable(samples: readonly ExportSample[], options: CaptionTableOptions): Promise<ExportReport> {
  const { signal, format } = options;
  const report: ExportReport = { files: [], samples: 0, bytes: 0, skipped: [] };
  const progress = new ProgressThrottle(samples.length, options.onProgress);
  const out = await AtomicFileStream.open(options.outFile);
  try {
    // Samples carry a second caption all or none (the command decides for the whole export); a rating likewise.
    const withSecond = samples.some((s) => s.secondCaptionPath !== undefined);
    const rated = samples.some((s) => s.rating !== undefined);
    if (format === 'csv') await out.write(`file_name,text${withSecond ? ',second_text' : ''}${rated ? ',rating' : ''}\r\n`);
    for (let i = 0; i < samples.length; i++) {
      signal?.throwIfAborted();
      const sample = samples[i];
      const caption = await loadCaption(sample, options.onlyCaptioned ?? true);
      const second = caption.ok ? await loadSecondCaption(sample) : caption;
      const image = second.ok ? await statImage(sample) : second;
      if (image.ok && caption.ok && second.ok) {
        await out.write(row(format, sample.relPath, caption.value, withSecond ? (second.value ?? '') : undefined, rated ? (sample.rating ?? 0) : undefined));
        report.samples++;
      } else if (!image.ok) {
        report.skipped.push(image.skip);
      }
      progress.update(i + 1, out.bytes);
    }
    await out.commit();
  } catch (err) {
    await out.discard();
    throw err;
  }
  report.files.push(options.outFile);
  report.bytes = out.bytes;
  progress.finish(report.bytes);
  return report;
}
