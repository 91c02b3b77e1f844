/** What `image-captioner export` does; loaded only when it runs, so `--help` stays quick. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { WHOLE, type ShardSpec } from '../../core/dataset/shardOf';
import type { ImageEntry } from '../../core/dataset/types';
import {
  DEFAULT_MAX_SAMPLES_PER_SHARD,
  DEFAULT_MAX_SHARD_BYTES,
  defaultShardPrefix,
  exportCaptionTable,
  exportImageFolder,
  exportSeedZip,
  exportWebDataset,
  sampleKey,
  secondCaptionMember,
  EXPORTED_CAPTIONS,
  withExportedCaptions,
  type ExportedCaptions,
  type ExportControl,
  type ExportReport,
  type ExportSample,
} from '../../core/export';
import { METADATA_FILE } from '../../core/export/imageFolderExport';
import { CliIo, CliUsageError, EXIT, ExitCode } from '../cliCommand';
import { choiceFlag, integerFlag, onePositional, parseCommandArgs, shardFlag } from '../commandArgs';
import { datasetSettingsFromFlags } from '../datasetFlags';
import { imagesOfShard, loadDataset, relPathOf, type LoadedDataset } from '../datasetLoad';
import { ignoredEntriesMessage, ratingsFilePath, readRatingsFile, type Ratings } from '../../core/curation/ratingsFile';
import { progressPrinter } from './exportProgressLines';
import { terminalText } from '../terminalText';
import { EXPORT_FORMATS, type ExportFormat, FLAGS } from './exportCommand';

/** What one format writes, given the samples and where. */
type Writer = (samples: ExportSample[], control: ExportControl) => Promise<ExportReport>;
/** Runs `export` with its arguments (after the command name). */
export async function runExport(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(args, FLAGS);
  const dataset = onePositional(positionals, 'DATASET folder');
  const format = choiceFlag('format', values.format, EXPORT_FORMATS);
  if (values.out === undefined) throw new CliUsageError('missing --out DIR');
  if (values.name !== undefined && !/^[\w.-]+$/.test(values.name)) throw new CliUsageError(`--name ${values.name}: use letters, digits, '.', '_' or '-' (it starts each shard's file name)`);
  const shard = shardFlag(values.shard);
  const maxSamplesPerShard = integerFlag('max-samples-per-shard', values['max-samples-per-shard'], DEFAULT_MAX_SAMPLES_PER_SHARD, 1);
  const maxBytesPerShard = integerFlag('max-shard-size-mb', values['max-shard-size-mb'], DEFAULT_MAX_SHARD_BYTES / 1e6, 1) * 1e6;
  const outDir = path.resolve(io.cwd, values.out);
  const loaded = await loadDataset(dataset, datasetSettingsFromFlags(values), io.cwd, io.signal);
  for (const warning of loaded.warnings) io.stderr.write(`export: ${terminalText(warning)}\n`);
  const captions = choiceFlag('captions', values.captions, EXPORTED_CAPTIONS, 'caption');
  const secondExtension = loaded.index.options.secondCaptionExtension;
  if (captions !== 'caption' && !secondExtension) throw new CliUsageError(`--captions ${captions} needs --second-caption-extension (e.g. .tags.txt)`);
  if (captions === 'both' && (format === 'zip' || format === 'imagefolder')) throw new CliUsageError(`--captions both: ${format} holds one caption per image (webdataset, csv and jsonl hold both)`);
  // A ratings file that cannot be read is said, and the export goes on without the rating field.
  const ratings = await readRatingsFile(loaded.index.rootPath, loaded.index.boundary).then(
    ({ ratings: read, problems }) => {
      if (problems.length > 0) io.stderr.write(`export: ${terminalText(ignoredEntriesMessage(ratingsFilePath(loaded.index.rootPath), problems))}\n`);
      return read;
    },
    (err: Error) => {
      io.stderr.write(`export: ${terminalText(err.message)} The export has no rating field.\n`);
      return new Map<string, number>();
    },
  );
  const samples = exportSamplesOf(loaded, imagesOfShard(loaded, shard), captions, ratings);
  const secondMember = captions === 'both' && secondExtension ? secondCaptionMember(secondExtension) : undefined;
  const name = values.name ?? defaultShardPrefix(loaded.index.rootPath);
  const suffix = shardSuffix(shard);
  const writers: Record<ExportFormat, Writer> = {
    webdataset: (s, control) => exportWebDataset(s, { outDir, name: `${name}${suffix}`, maxSamplesPerShard, maxBytesPerShard, secondCaptionMember: secondMember, ...control }),
    zip: (s, control) => exportSeedZip(s, { outFile: path.join(outDir, `webData${suffix}.zip`), ...control }),
    imagefolder: (s, control) => exportImageFolder(s, { outDir, copyImages: true, metadataFile: suffixed(METADATA_FILE, suffix), ...control }),
    csv: (s, control) => exportCaptionTable(s, { outFile: path.join(outDir, `captions${suffix}.csv`), format: 'csv', ...control }),
    jsonl: (s, control) => exportCaptionTable(s, { outFile: path.join(outDir, `captions${suffix}.jsonl`), format: 'jsonl', ...control }),
  };
  const label = `export ${format}${shard.count > 1 ? ` shard ${shard.index}/${shard.count}` : ''}`;
  const progress = progressPrinter(io.stderr, label, 'images');
  let report: ExportReport;
  try {
    io.signal.throwIfAborted();
    await fs.mkdir(outDir, { recursive: true });
    report = await writers[format](samples, { signal: io.signal, onlyCaptioned: !values['all-images'], onProgress: progress });
  } catch (err) {
    if (io.signal.aborted) {
      io.stderr.write(`${label}: interrupted; the file being written was removed, run the same command again\n`);
      return EXIT.interrupted;
    }
    throw err;
  }
  for (const file of report.files) io.stdout.write(`${terminalText(file)}\n`);
  const failed = report.skipped.filter((s) => s.reason !== 'no caption');
  for (const s of failed) io.stderr.write(`${label}: skipped ${terminalText(s.path)}: ${s.reason}${s.detail ? ` (${terminalText(s.detail)})` : ''}\n`);
  const uncaptioned = report.skipped.length - failed.length;
  io.stderr.write(
    `${label}: ${report.samples} of ${samples.length} images in ${report.files.length} file(s), ${(report.bytes / 1e6).toFixed(1)} MB` +
      `${uncaptioned ? `; ${uncaptioned} without a caption left out (--all-images keeps them)` : ''}${failed.length ? `; ${failed.length} skipped` : ''}\n`,
  );
  return failed.length ? EXIT.someFailed : EXIT.ok;
}

/** `-shard-03-of-16` for shard 3 of 16 (the index padded to the count's digits, so names sort), '' for the whole dataset. */
export function shardSuffix(shard: ShardSpec): string {
  if (shard.count === WHOLE.count) return '';
  const width = String(shard.count - 1).length;
  return `-shard-${String(shard.index).padStart(width, '0')}-of-${shard.count}`;
}

function suffixed(file: string, suffix: string): string {
  const ext = path.extname(file);
  return `${file.slice(0, file.length - ext.length)}${suffix}${ext}`;
}

/**
 * Export samples of `images`, each keyed by its position among all the dataset's usable images,
 * so any shard's WebDataset keys are the ones the whole export gives the same images.
 */
function exportSamplesOf(loaded: LoadedDataset, images: readonly ImageEntry[], captions: ExportedCaptions, ratings: Ratings): ExportSample[] {
  const { index } = loaded;
  const positions = new Map(loaded.images.map((image, position) => [image, position] as const));
  return images.map((image) => {
    const imagePath = index.imagePath(image);
    const relPath = relPathOf(index, image);
    const sample: ExportSample = { imagePath, relPath, captionPath: index.captionPath(image), boundary: index.boundary, key: sampleKey(positions.get(image)!) };
    // A rating field only when the dataset has ratings, as the extension's exports do.
    return withExportedCaptions(ratings.size > 0 ? { ...sample, rating: ratings.get(relPath) ?? 0 } : sample, index.secondCaptionPath(image), captions);
  });
}
