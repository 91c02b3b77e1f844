/** A caption table, `file_name,text`: CSV (RFC 4180) or JSONL, UTF-8 without BOM, streamed row by row. */
import { AtomicFileStream } from './atomicFileStream';
import { ProgressThrottle } from './exportProgress';
import { ExportControl, ExportReport, ExportSample } from './exportTypes';
import { loadCaption, statImage } from './sampleSource';

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

function row(format: CaptionTableOptions['format'], fileName: string, text: string): string {
  return format === 'csv' ? `${csvField(fileName)},${csvField(text)}\r\n` : `${JSON.stringify({ file_name: fileName, text })}\n`;
}

export async function exportCaptionTable(samples: readonly ExportSample[], options: CaptionTableOptions): Promise<ExportReport> {
  const { signal, format } = options;
  const report: ExportReport = { files: [], samples: 0, bytes: 0, skipped: [] };
  const progress = new ProgressThrottle(samples.length, options.onProgress);
  const out = await AtomicFileStream.open(options.outFile);
  try {
    if (format === 'csv') await out.write('file_name,text\r\n');
    for (let i = 0; i < samples.length; i++) {
      signal?.throwIfAborted();
      const sample = samples[i];
      const caption = await loadCaption(sample, options.onlyCaptioned ?? true);
      const image = caption.ok ? await statImage(sample) : caption;
      if (image.ok && caption.ok) {
        await out.write(row(format, sample.relPath, caption.value));
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
