/** The seed tool's `webData.zip` layout: the images flat plus `label.json` of `{"file_name","text"}`, streamed. */
import JSZip from 'jszip';
import { Readable } from 'node:stream';
import { AtomicFileStream } from './atomicFileStream';
import { ProgressThrottle } from './exportProgress';
import { ExportControl, EXPORT_MTIME, ExportReport, ExportSample } from './exportTypes';
import { FlatNames } from './flatNames';
import { lazyFileStream, lazyTextStream } from './lazyFileStream';
import { loadCaption, statImage } from './sampleSource';

export interface SeedZipOptions extends ExportControl {
  readonly outFile: string;
}

export const LABEL_FILE = 'label.json';

interface ZipEntry {
  readonly sample: ExportSample;
  readonly name: string;
}

/**
 * Two passes: the first reads each caption and stats each image to decide what goes in and under
 * which name; the second streams the zip, reading images and captions again only as jszip asks.
 */
export async function exportSeedZip(samples: readonly ExportSample[], options: SeedZipOptions): Promise<ExportReport> {
  const { signal } = options;
  const onlyCaptioned = options.onlyCaptioned ?? true;
  const report: ExportReport = { files: [], samples: 0, bytes: 0, skipped: [] };
  const zip = new JSZip();
  const names = new FlatNames([LABEL_FILE]);
  const entries: ZipEntry[] = [];
  const progress = new ProgressThrottle(samples.length, options.onProgress);
  let done = 0;
  for (const sample of samples) {
    signal?.throwIfAborted();
    const caption = await loadCaption(sample, onlyCaptioned);
    const image = caption.ok ? await statImage(sample) : caption;
    if (!image.ok) {
      report.skipped.push(image.skip);
      done++;
      continue;
    }
    const name = names.claim(sample.relPath);
    entries.push({ sample, name });
    // Images are already compressed: stored as they are.
    zip.file(name, lazyFileStream(sample.imagePath, sample.boundary, () => done++), { binary: true, compression: 'STORE', date: EXPORT_MTIME });
  }
  zip.file(LABEL_FILE, lazyTextStream(() => labelJson(entries, onlyCaptioned)), { compression: 'DEFLATE', date: EXPORT_MTIME });

  const out = await AtomicFileStream.open(options.outFile);
  try {
    // jszip's stream is a readable-stream v2 one; wrapping gives it async iteration, backpressure kept.
    const zipStream = new Readable().wrap(zip.generateNodeStream({ type: 'nodebuffer', streamFiles: true }));
    for await (const chunk of zipStream as AsyncIterable<Buffer>) {
      signal?.throwIfAborted();
      await out.write(chunk);
      progress.update(done, out.bytes);
    }
    await out.commit();
  } catch (err) {
    await out.discard();
    throw err;
  }
  report.files.push(options.outFile);
  report.samples = entries.length;
  report.bytes = out.bytes;
  progress.finish(report.bytes);
  return report;
}

async function* labelJson(entries: readonly ZipEntry[], onlyCaptioned: boolean): AsyncGenerator<string> {
  yield '[';
  for (let i = 0; i < entries.length; i++) {
    const { sample, name } = entries[i];
    const caption = await loadCaption(sample, onlyCaptioned);
    if (!caption.ok) throw new Error(`${sample.captionPath} changed while the zip was being written (${caption.skip.reason}); export again.`);
    yield `${i === 0 ? '' : ','}\n  ${JSON.stringify({ file_name: name, text: caption.value })}`;
  }
  yield entries.length > 0 ? '\n]\n' : ']\n';
}
