/** Hugging Face `imagefolder`: images at their relative paths plus `metadata.jsonl` of `{"file_name","text"}`. */
import { createWriteStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { openRegularFile } from '../files/regularFile';
import { AtomicFileStream } from './atomicFileStream';
import { ProgressThrottle } from './exportProgress';
import { ExportControl, ExportReport, ExportSample, SkippedSample } from './exportTypes';
import { imageError, loadCaption, statImage } from './sampleSource';

export interface ImageFolderOptions extends ExportControl {
  readonly outDir: string;
  /** Copy the images under outDir; false writes only metadata.jsonl (outDir is then the dataset root). */
  readonly copyImages: boolean;
  /** The metadata file's name in outDir (default metadata.jsonl); a sharded export names one per shard. */
  readonly metadataFile?: string;
}

export const METADATA_FILE = 'metadata.jsonl';

/** `files` names metadata.jsonl only; the copied images are counted in `samples` and `bytes`. */
export async function exportImageFolder(samples: readonly ExportSample[], options: ImageFolderOptions): Promise<ExportReport> {
  const { signal, outDir } = options;
  const report: ExportReport = { files: [], samples: 0, bytes: 0, skipped: [] };
  const progress = new ProgressThrottle(samples.length, options.onProgress);
  await fs.mkdir(outDir, { recursive: true });
  const metadataFile = options.metadataFile ?? METADATA_FILE;
  if (!/^[^/\\]+$/.test(metadataFile)) throw new Error(`Metadata file "${metadataFile}" must be a file name without slashes.`);
  const metadata = await AtomicFileStream.open(path.join(outDir, metadataFile));
  let copiedBytes = 0;
  try {
    for (let i = 0; i < samples.length; i++) {
      signal?.throwIfAborted();
      const sample = samples[i];
      const caption = await loadCaption(sample, options.onlyCaptioned ?? true);
      const image = caption.ok ? await statImage(sample) : caption;
      if (!image.ok) {
        report.skipped.push(image.skip);
      } else if (!options.copyImages || (await copyImage(sample, outDir, report))) {
        if (options.copyImages) copiedBytes += image.value;
        const text = caption.ok ? caption.value : '';
        await metadata.write(`${JSON.stringify(sample.rating === undefined ? { file_name: sample.relPath, text } : { file_name: sample.relPath, text, rating: sample.rating })}\n`);
        report.samples++;
      }
      progress.update(i + 1, copiedBytes + metadata.bytes);
    }
    await metadata.commit();
  } catch (err) {
    await metadata.discard();
    throw err;
  }
  report.files.push(metadata.file);
  report.bytes = copiedBytes + metadata.bytes;
  progress.finish(report.bytes);
  return report;
}

/** Copies the image to its relative path under outDir; false (with the reason recorded) when it cannot be read. */
async function copyImage(sample: ExportSample, outDir: string, report: ExportReport): Promise<boolean> {
  const target = path.resolve(outDir, ...sample.relPath.split('/'));
  const inside = path.relative(path.resolve(outDir), target);
  if (inside.startsWith('..') || path.isAbsolute(inside)) throw new Error(`${sample.relPath} is not a relative path inside the dataset; it cannot be exported.`);
  if (target === path.resolve(sample.imagePath)) return true; // exporting into the dataset itself: the image is already there
  await fs.mkdir(path.dirname(target), { recursive: true });
  let opened;
  try {
    opened = await openRegularFile(sample.imagePath, sample.boundary);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== undefined && code !== 'ENOENT' && code !== 'EACCES' && code !== 'EISDIR') throw err;
    report.skipped.push((imageError(sample, err) as { skip: SkippedSample }).skip);
    return false;
  }
  if (!opened) {
    report.skipped.push({ path: sample.relPath, reason: 'image missing' });
    return false;
  }
  // Copied from the descriptor that was checked: a file swapped for a link or a FIFO meanwhile is never read.
  await pipeline(opened.handle.createReadStream(), createWriteStream(target));
  return true;
}
