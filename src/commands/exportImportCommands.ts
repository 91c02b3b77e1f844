import * as vscode from 'vscode';
import * as path from 'node:path';
import { DEFAULT_MAX_SAMPLES_PER_SHARD, DEFAULT_MAX_SHARD_BYTES, defaultShardPrefix, exportCaptionTable, exportImageFolder, exportSeedZip, exportWebDataset, ExportReport, ExportSample, secondCaptionMember, withExportedCaptions, type ExportedCaptions } from '../core/export';
import { DETECT_BYTES, detectFormat } from '../core/import/detectFormat';
import { parseCaptionSource } from '../core/import/parseCaptionSource';
import { readImportSource } from '../core/import/sourceText';
import { CaptionChoice, ImportConflictPolicy, planImport } from '../core/import/planImport';
import { readCaptionSources } from '../core/captions/readCaptions';
import { ImageEntry } from '../core/dataset/types';
import { BulkEditService } from '../services/bulkEditService';
import { DatasetService } from '../services/datasetService';
import { RatingsService } from '../services/ratingsService';
import { ScopePicker } from './scopePicker';
import { filesWithText } from './filesWithText';
import { showError, showInformation, withNotificationProgress } from '../services/notifications';

/** Exports (WebDataset, the seed's zip, imagefolder, CSV/JSONL) and caption-set imports. */
/** Options the export commands take from their callers (tests, other extensions), skipping the questions. */
interface ExportCommandOptions {
  readonly onlyCaptioned?: boolean;
  /** Which caption the export writes when the dataset has second captions (default: asked). */
  readonly captions?: ExportedCaptions;
}

export function registerExportImportCommands(dataset: DatasetService, scopes: ScopePicker, bulk: BulkEditService, log: vscode.LogOutputChannel, ratings: RatingsService): vscode.Disposable[] {
  const samplesOf = async (images: readonly ImageEntry[], captions: ExportedCaptions): Promise<ExportSample[]> => {
    await ratings.whenLoaded();
    const index = dataset.index!;
    const { boundary } = index;
    // A rating field only when the dataset has ratings at all.
    const rated = ratings.hasRatings;
    return images.filter((img) => !img.collision).map((img) => {
      const relPath = index.relativePath(index.imagePath(img))!;
      const sample = { imagePath: index.imagePath(img), relPath, captionPath: index.captionPath(img), boundary, ...(rated ? { rating: ratings.ratingOf(relPath) } : {}) };
      return withExportedCaptions(sample, index.secondCaptionPath(img), captions);
    });
  };

  /**
   * Which caption(s) to export, asked only when the dataset has second captions; `both` is offered to
   * the exports that can hold two (WebDataset members, table columns).
   */
  const askCaptions = async (canHoldBoth: boolean, given?: ExportedCaptions): Promise<ExportedCaptions | undefined> => {
    const second = dataset.index?.options.secondCaptionExtension;
    if (!second) return 'caption';
    if (given && (canHoldBoth || given !== 'both')) return given;
    const caption = dataset.index!.options.captionExtension;
    const items: Array<vscode.QuickPickItem & { captions: ExportedCaptions }> = [
      { label: 'Caption', description: caption, captions: 'caption' },
      { label: 'Second caption', description: `${second}, written as the caption`, captions: 'second' },
    ];
    if (canHoldBoth) items.push({ label: 'Both', description: `${caption} and ${second}`, captions: 'both' });
    return (await vscode.window.showQuickPick(items, { title: 'Which caption to export' }))?.captions;
  };

  /** Runs one export with a cancellable progress notification and reports what was skipped. */
  const runExport = async (title: string, images: readonly ImageEntry[], work: (samples: ExportSample[], control: { signal: AbortSignal; onProgress: (done: number, total: number, bytes: number) => void }) => Promise<ExportReport>, captions: ExportedCaptions = 'caption'): Promise<void> => {
    const samples = await samplesOf(images, captions);
    const report = await withNotificationProgress({ title, cancellable: true }, async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      let last = 0;
      return work(samples, {
        signal: abort.signal,
        onProgress: (done, total, bytes) => {
          progress.report({ message: `${done} of ${total} · ${(bytes / 1e6).toFixed(1)} MB`, increment: ((done - last) / Math.max(1, total)) * 100 });
          last = done;
        },
      }).catch((err) => {
        if (abort.signal.aborted) return undefined;
        throw err;
      });
    });
    if (!report) {
      void showInformation(`${title}: cancelled; no partial file was left.`);
      return;
    }
    for (const s of report.skipped) log.info(`export skipped ${s.path}: ${s.reason}${s.detail ? ` (${s.detail})` : ''}`);
    const skipped = report.skipped.length ? `, ${report.skipped.length} skipped (see the log)` : '';
    // Not awaited: the command ends with the export, whether or not anyone clicks.
    void showInformation(`${title}: ${report.samples} samples in ${report.files.length} file(s), ${(report.bytes / 1e6).toFixed(1)} MB${skipped}.`, 'Reveal', 'Show Log').then((choice) => {
      if (choice === 'Reveal' && report.files[0]) void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(report.files[0]));
      if (choice === 'Show Log') log.show();
    });
  };

  /** Whether images without a caption go into the export (with empty text); asked only when the scope has some. */
  const askOnlyCaptioned = async (images: readonly ImageEntry[], captions: ExportedCaptions = 'caption'): Promise<boolean | undefined> => {
    await dataset.loadCaptions(images);
    const index = dataset.index!;
    const usable = images.filter((img) => !img.collision);
    // Exporting second captions as the captions: whether an image has one is on disk, not in the index.
    const uncaptioned = captions === 'second'
      ? (await filesWithText(usable.map((img) => index.secondCaptionPath(img) ?? index.captionPath(img)))).filter((has) => !has).length
      : usable.filter((img) => img.captionState !== 'text').length;
    if (uncaptioned === 0) return true;
    const items = [
      { label: 'Only captioned images', description: `leave out ${uncaptioned} without a caption`, onlyCaptioned: true },
      { label: 'All images', description: `${uncaptioned} without a caption get empty text`, onlyCaptioned: false },
    ];
    return (await vscode.window.showQuickPick(items, { title: `${uncaptioned} of ${images.length} images have no caption` }))?.onlyCaptioned;
  };

  const askFolder = async (label: string): Promise<string | undefined> =>
    (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: label, title: label }))?.[0]?.fsPath;
  const askFile = async (label: string, name: string, filters: Record<string, string[]>): Promise<string | undefined> =>
    (await vscode.window.showSaveDialog({ title: label, saveLabel: label, defaultUri: vscode.Uri.file(path.join(path.dirname(dataset.rootPath ?? ''), name)), filters }))?.fsPath;

  return [
    vscode.commands.registerCommand('imageCaptioner.exportWebDataset', async (arg?: unknown, args?: unknown, outDir?: string, options?: ExportCommandOptions) => {
      const scope = await scopes.pick('Export WebDataset shards', arg, args);
      const captions = scope && (await askCaptions(true, options?.captions));
      const onlyCaptioned = captions && (options?.onlyCaptioned ?? (await askOnlyCaptioned(scope.images, captions)));
      const target = captions && onlyCaptioned !== undefined && (outDir ?? (await askFolder('Export shards into')));
      if (!scope || !captions || !target) return;
      const secondExtension = dataset.index?.options.secondCaptionExtension;
      const c = vscode.workspace.getConfiguration('imageCaptioner.export');
      const name = defaultShardPrefix(dataset.rootPath ?? 'dataset');
      await runExport('WebDataset export', scope.images, (samples, control) =>
        exportWebDataset(samples, {
          outDir: target,
          name,
          maxSamplesPerShard: c.get<number>('maxSamplesPerShard', DEFAULT_MAX_SAMPLES_PER_SHARD),
          maxBytesPerShard: c.get<number>('maxShardSizeMB', DEFAULT_MAX_SHARD_BYTES / 1e6) * 1e6,
          onlyCaptioned,
          secondCaptionMember: captions === 'both' && secondExtension ? secondCaptionMember(secondExtension) : undefined,
          ...control,
        }),
        captions,
      );
    }),
    vscode.commands.registerCommand('imageCaptioner.exportSeedZip', async (arg?: unknown, args?: unknown) => {
      const scope = await scopes.pick('Export webData.zip', arg, args);
      const captions = scope && (await askCaptions(false));
      const onlyCaptioned = captions && (await askOnlyCaptioned(scope.images, captions));
      const outFile = onlyCaptioned !== undefined && (await askFile('Export webData.zip', 'webData.zip', { 'Zip archive': ['zip'] }));
      if (scope && outFile) await runExport('webData.zip export', scope.images, (samples, control) => exportSeedZip(samples, { outFile, onlyCaptioned, ...control }), captions);
    }),
    vscode.commands.registerCommand('imageCaptioner.exportImageFolder', async (arg?: unknown, args?: unknown) => {
      const scope = await scopes.pick('Export Hugging Face imagefolder', arg, args);
      const captions = scope && (await askCaptions(false));
      const onlyCaptioned = captions && (await askOnlyCaptioned(scope.images, captions));
      const outDir = onlyCaptioned !== undefined && (await askFolder('Export imagefolder into'));
      if (scope && outDir) await runExport('imagefolder export', scope.images, (samples, control) => exportImageFolder(samples, { outDir, copyImages: true, onlyCaptioned, ...control }), captions);
    }),
    vscode.commands.registerCommand('imageCaptioner.exportCaptionTable', async (arg?: unknown, args?: unknown) => {
      const scope = await scopes.pick('Export captions as a table', arg, args);
      const captions = scope && (await askCaptions(true));
      const onlyCaptioned = captions && (await askOnlyCaptioned(scope.images, captions));
      const kind = onlyCaptioned !== undefined && ((await vscode.window.showQuickPick(['csv', 'jsonl'], { title: 'Format' })) as 'csv' | 'jsonl' | undefined);
      const outFile = kind && (await askFile(`Export ${kind.toUpperCase()}`, `captions.${kind}`, { [kind.toUpperCase()]: [kind] }));
      if (scope && kind && outFile) await runExport(`${kind.toUpperCase()} export`, scope.images, (samples, control) => exportCaptionTable(samples, { outFile, format: kind, onlyCaptioned, ...control }), captions);
    }),
    vscode.commands.registerCommand('imageCaptioner.importCaptions', async (source?: vscode.Uri, options?: { which?: CaptionChoice; conflict?: ImportConflictPolicy; autoApply?: boolean }) => {
      await dataset.whenReady();
      const index = dataset.index;
      if (!index) return;
      const file = source?.fsPath ?? (await vscode.window.showOpenDialog({ title: 'Import captions from', canSelectMany: false, filters: { 'Caption sets': ['txt', 'csv', 'json', 'jsonl', 'token'] } }))?.[0]?.fsPath;
      if (!file) return;
      let parsed;
      try {
        const bytes = await readImportSource(file);
        parsed = parseCaptionSource(bytes, path.basename(file), { format: detectFormat(path.basename(file), bytes.subarray(0, DETECT_BYTES)) });
      } catch (err) {
        void showError(`Cannot import ${path.basename(file)}: ${(err as Error).message}`);
        return;
      }
      const perImage = mostPerImage(parsed.records.map((r) => r.image));
      const which = options?.which ?? (perImage > 1 ? await askWhich(perImage) : 'first');
      if (which === undefined) return;
      const conflict = options?.conflict ?? (await askConflict());
      if (!conflict) return;
      const images = index.images().filter((img) => !img.collision);
      const pairs = images.map((img) => ({ imagePath: index.imagePath(img), captionPath: index.captionPath(img) }));
      const { sources } = await readCaptionSources(pairs, index.boundary);
      const plan = planImport(parsed.records, sources.map((s) => ({ ...s, relPath: index.relativePath(s.imagePath)!, existing: s.text })), { which, conflict, matchStem: true });
      for (const u of plan.unmatched) log.warn(`import: ${u.image}${u.line ? ` (line ${u.line})` : ''}: ${u.reason}`);
      for (const a of plan.ambiguous) log.warn(`import: ${a.image}${a.line ? ` (line ${a.line})` : ''} could be ${a.candidates.join(', ')}`);
      const editPlan = {
        operation: `Import ${parsed.records.length} captions (${parsed.format}) from ${path.basename(file)}`,
        changes: plan.writes.map((w) => ({ ...w })),
        deletions: [],
        unchanged: plan.unchanged + plan.skippedExisting,
        matches: 0,
      };
      if (!(await bulk.preview(editPlan, options?.autoApply))) return;
      const { changed, conflicts } = await bulk.apply(editPlan);
      const unmatched = plan.unmatched.length + plan.ambiguous.length;
      void showInformation(`Imported captions for ${changed} image(s)${plan.skippedExisting ? `, ${plan.skippedExisting} kept their caption` : ''}${unmatched ? `, ${unmatched} row(s) matched no single image (see the log)` : ''}${conflicts.length ? `, ${conflicts.length} changed meanwhile and left alone` : ''}.`);
    }),
  ];
}

/** The most captions any one image has in the source (at least 1); a loop, not a spread: sources have 100,000s of images. */
function mostPerImage(images: readonly string[]): number {
  const counts = new Map<string, number>();
  let most = 1;
  for (const image of images) {
    const count = (counts.get(image) ?? 0) + 1;
    counts.set(image, count);
    if (count > most) most = count;
  }
  return most;
}

async function askWhich(perImage: number): Promise<CaptionChoice | undefined> {
  const items: Array<vscode.QuickPickItem & { which: CaptionChoice }> = [
    { label: 'The first caption of each image', which: 'first' },
    { label: 'All captions, one per line', which: 'all' },
    ...Array.from({ length: perImage }, (_, i) => ({ label: `Caption #${i} of each image`, which: i as CaptionChoice })),
  ];
  return (await vscode.window.showQuickPick(items, { title: `The source has up to ${perImage} captions per image: which?` }))?.which;
}

async function askConflict(): Promise<ImportConflictPolicy | undefined> {
  const items: Array<vscode.QuickPickItem & { policy: ImportConflictPolicy }> = [
    { label: 'Keep existing captions', description: 'only images without a caption get one', policy: 'skip' },
    { label: 'Overwrite existing captions', policy: 'overwrite' },
    { label: 'Append to existing captions', policy: 'append' },
  ];
  return (await vscode.window.showQuickPick(items, { title: 'Images that already have a caption' }))?.policy;
}
