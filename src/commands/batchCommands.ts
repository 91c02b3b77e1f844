import * as vscode from 'vscode';
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { regionsPathFor } from '../core/dataset/sidecars';
import type { ModelEntry } from '../providers/types';
import { BatchMode } from '../core/captioning/captionMerge';
import { BatchItem } from '../core/captioning/batchTypes';
import { ImageEntry } from '../core/dataset/types';
import { ScopePicker } from './scopePicker';
import { pickCaptionTarget } from './captionTargetPick';
import { filesWithText } from './filesWithText';
import { CaptionTarget, targetCaptionPath } from '../core/dataset/captionTarget';
import { showStopped } from './batchStopped';
import { readBatchSettings } from '../generationSettings';
import { BatchKind, batchKindOf, BatchReport, BatchRunner } from '../services/batchRunner';
import { CaptioningService } from '../services/captioningService';
import { DatasetService } from '../services/datasetService';
import { DatasetTreeNode, DatasetTreeProvider } from '../views/datasetTreeProvider';
import { showError, showInformation, showWarning } from '../services/notifications';
import { labelText } from '../services/plainText';
import { explainUntrusted } from '../services/workspaceTrust';
import { untrustedTaggingMessage } from '../services/taggingService';
import { outcomeText } from '../core/captioning/batchProgressText';

/** Caption All / Uncaptioned / Selected / Filtered, Resume, and Retry Failed. */
export function registerBatchCommands(
  dataset: DatasetService,
  tree: DatasetTreeProvider,
  treeView: vscode.TreeView<DatasetTreeNode>,
  captioning: CaptioningService,
  runner: BatchRunner,
  scopes: ScopePicker,
  /** The model that fuses region descriptions into captions (the settings choose it); region batches need it. */
  fuseModel?: () => Promise<ModelEntry | undefined>,
  /** The tagger a tag batch runs: the configured one, or the user's pick when `ask`; tag batches need it. */
  taggerModel?: (ask: boolean) => Promise<ModelEntry | undefined>,
): vscode.Disposable[] {
  /** The last run that left failed images: what Retry Failed works on. */
  let retryable: BatchReport | undefined;
  const setRetryable = (result: BatchReport | undefined): void => {
    retryable = result;
    void vscode.commands.executeCommand('setContext', 'imageCaptioner.canRetryFailed', Boolean(result));
  };

  /** Each command returns its run's report (undefined when nothing ran), so tests can see the outcome. */
  const start = async (title: string, images: readonly ImageEntry[] | undefined, forcedMode?: BatchMode, kind: BatchKind = 'caption', given?: CaptionTarget, askTagger = false): Promise<BatchReport | undefined> => {
    if (!images) return undefined;
    // Every kind of batch (captions, region fusion, tags) may write the second caption instead.
    const target = await pickCaptionTarget(dataset.index!, title, given);
    if (!target) return undefined;
    if (kind === 'regions') {
      const withRegions = await imagesWithRegions(dataset, images);
      const left = images.length - withRegions.length;
      if (left) captioning.log.info(`${left} image(s) left out of the region batch: they have no regions file`);
      if (withRegions.length === 0) {
        void showInformation('None of the chosen images has regions yet: draw some with Edit Regions… first.');
        return undefined;
      }
      images = withRegions;
    }
    const index = dataset.index!;
    const outside = images.filter((img) => index.isOutside(img));
    const usable = images.filter((img) => !img.collision && !index.isOutside(img));
    const collisions = images.filter((img) => img.collision && !index.isOutside(img)).length;
    if (outside.length) captioning.log.warn(`${outside.length} image(s) skipped: links to files outside the dataset folder are never sent to a model (${outside.slice(0, 3).map((img) => img.name).join(', ')}${outside.length > 3 ? ', …' : ''})`);
    if (usable.length === 0) {
      const why = outside.length
        ? 'The chosen images are links to files outside the dataset folder: they are never sent to a model.'
        : collisions ? 'Every chosen image shares its caption file with another image: rename them first.' : 'No images to caption.';
      void showInformation(why);
      return undefined;
    }
    const model = kind === 'regions' ? await fuseModel?.() : kind === 'tags' ? await taggerModel?.(askTagger) : await captioning.currentModel();
    if (!model) return undefined;
    await dataset.loadCaptions(usable); // the count of captions that a mode would change is exact
    const mode = forcedMode ?? (await chooseMode(usable, target === 'second' ? await countWithText(usable.map((img) => targetCaptionPath(index, img, target))) : undefined));
    if (!mode) return undefined;
    const items: BatchItem[] = usable.map((img) => ({ imagePath: index.imagePath(img), captionPath: targetCaptionPath(index, img, target) }));
    if (collisions) captioning.log.warn(`${collisions} image(s) skipped: they share a caption file with another image (resolve with Rename Image…)`);
    const into = target === 'second' ? `, into ${index.options.secondCaptionExtension}` : '';
    return report(await runner.run(items, model, mode, `${title} (${items.length} images, ${MODE_LABELS[mode]}${into})`, kind).catch(cancelledIsFine));
  };

  /** Tells the outcome without waiting for the user: the command ends when the batch does. */
  const report = (result: BatchReport | undefined): BatchReport | undefined => {
    if (!result) return undefined;
    const { summary, failedItems } = result;
    setRetryable(failedItems.length && summary.journalFile ? result : undefined);
    if (summary.stopped && summary.journalFile) {
      const journalFile = summary.journalFile;
      showStopped(summary, summary.stopped, result.model, () => void runner.resume({ file: journalFile, remaining: summary.pending + summary.failed, context: { kind: result.kind } }, result.model).then(report, cancelledIsFine));
      return result;
    }
    const regions = result.regionsNotSaved ? ` The grounded regions of ${result.regionsNotSaved} image(s) were not saved: see the log.` : '';
    const text = `${outcomeText(summary)}${summary.pending ? ' (Resume continues)' : ''}.${regions}`;
    const actions = [retryable === result ? 'Retry Failed' : undefined, 'Show Log'].filter((a): a is string => Boolean(a));
    const shown = summary.failed || regions ? showWarning(text, ...actions) : showInformation(text, ...actions);
    void shown.then((choice) => {
      if (choice === 'Show Log') captioning.log.show();
      if (choice === 'Retry Failed') void retry(result).catch(cancelledIsFine);
    });
    return result;
  };

  /** Runs a report's failed images again in the mode their job ran with, through the same checks. */
  const retry = async (last: BatchReport): Promise<BatchReport | undefined> => {
    const failed = await runner.failedSet(last);
    if (!failed?.items.length) {
      if (retryable === last) setRetryable(undefined);
      void showInformation('No failed images left to retry in that batch (Resume may have finished them).');
      return undefined;
    }
    if (failed.mode === 'overwrite') {
      const captioned = await countCaptioned(dataset, failed.items);
      if (captioned > 0 && !(await confirmOverwrite(captioned))) return undefined;
    }
    const count = failed.items.length;
    return report(await runner.retryFailed(last, `Retrying ${count} failed image${count === 1 ? '' : 's'} (${MODE_LABELS[failed.mode]})`).catch(cancelledIsFine));
  };

  /** Every batch runs a model: in an untrusted workspace it is refused before any question (scope, caption file, model, mode) whose answer could not be used. */
  const trusted = (why?: string): boolean => {
    if (vscode.workspace.isTrusted) return true;
    void explainUntrusted(why);
    return false;
  };

  const ready = async (why?: string): Promise<boolean> => {
    if (!trusted(why)) return false;
    await dataset.whenReady();
    if (dataset.index && dataset.index.size > 0) return true;
    void showInformation('Open a dataset folder with images first.');
    return false;
  };

  return [
    vscode.commands.registerCommand('imageCaptioner.captionAll', async () => ((await ready()) ? start('Captioning all images', dataset.index!.images()) : undefined)),
    vscode.commands.registerCommand('imageCaptioner.captionUncaptioned', async () => {
      if (!(await ready())) return undefined;
      const index = dataset.index!;
      const target = await pickCaptionTarget(index, 'Captioning uncaptioned images');
      if (!target) return undefined;
      await dataset.loadCaptions(index.images());
      const images = target === 'caption'
        ? index.images().filter((img) => img.captionState === 'none' || img.captionState === 'empty')
        : await withoutText(index.images(), (img) => targetCaptionPath(index, img, target));
      return start('Captioning uncaptioned images', images, 'skip', 'caption', target);
    }),
    vscode.commands.registerCommand('imageCaptioner.captionSelected', async (arg?: unknown, args?: unknown, options?: { readonly target?: CaptionTarget }) =>
      (await ready()) ? start('Captioning selected images', (scopes.fromArguments(arg, args) ?? scopes.fromNodes(treeView.selection)).images, undefined, 'caption', options?.target) : undefined,
    ),
    vscode.commands.registerCommand('imageCaptioner.regions.fuseSelected', async (arg?: unknown, args?: unknown, options?: { readonly target?: CaptionTarget }) =>
      (await ready()) ? start('Describing regions and fusing captions', (scopes.fromArguments(arg, args) ?? scopes.fromNodes(treeView.selection)).images, undefined, 'regions', options?.target) : undefined,
    ),
    vscode.commands.registerCommand('imageCaptioner.tagImages', async (arg?: unknown, args?: unknown) => {
      // refused before any question (scope, caption file, tagger, mode): nothing would run after the answers
      if (!(await ready(untrustedTaggingMessage()))) return undefined;
      // from a menu: the images it names and the configured tagger; from the palette: the user's scope and tagger
      const named = scopes.fromArguments(arg, args);
      const scope = named ?? (await scopes.pick('Tag images', arg, args));
      // the caption file is chosen as for a caption batch: tags often go into the second caption (.tags.txt)
      return scope ? start(`Tagging ${scope.label}`, scope.images, undefined, 'tags', undefined, !named) : undefined;
    }),
    vscode.commands.registerCommand('imageCaptioner.captionFiltered', async () => ((await ready()) ? start(`Captioning images matching "${tree.query}"`, tree.visibleImages()) : undefined)),
    vscode.commands.registerCommand('imageCaptioner.retryFailedCaptions', async () => {
      if (!trusted()) return undefined;
      if (retryable) return retry(retryable);
      void showInformation('The last batch left no failed images to retry.');
      return undefined;
    }),
    vscode.commands.registerCommand('imageCaptioner.resumeCaptioning', async () => {
      if (!trusted()) return undefined;
      const { jobs, unreadable } = await runner.unfinished();
      if (unreadable.length) {
        void showWarning(`${unreadable.length} captioning job journal(s) could not be read and were left as they are: see the log.`, 'Show Log').then((choice) => {
          if (choice) captioning.log.show();
        });
      }
      if (jobs.length === 0) {
        void showInformation('No unfinished captioning job in this workspace.');
        return undefined;
      }
      const picked = await vscode.window.showQuickPick(
        jobs.map((job) => ({
          label: `${job.remaining} of ${job.total} images left`,
          description: labelText(`${JOB_KIND_LABELS[batchKindOf(job.context)]}${captioning.registry.find(job.modelId)?.label ?? job.modelId ?? 'unknown model'} · ${job.mode}`),
          detail: `Started ${new Date(job.created).toLocaleString()} · ${job.done} done, ${job.failed} failed`,
          job,
        })),
        { title: 'Resume which captioning job?' },
      );
      if (!picked) return undefined;
      const model = captioning.registry.find(picked.job.modelId);
      if (!model) {
        void showError(`The job's model ${picked.job.modelId} is no longer configured; add it back in imageCaptioner.models to resume.`);
        return undefined;
      }
      return report(await runner.resume(picked.job, model).catch(cancelledIsFine));
    }),
  ];
}

const JOB_KIND_LABELS: Record<BatchKind, string> = { caption: '', regions: 'captions fused from regions · ', tags: 'tags · ' };

const MODE_LABELS: Record<BatchMode, string> = { skip: 'captioned images skipped', overwrite: 'overwriting captions', append: 'appending', prepend: 'prepending' };

/** The images that have a regions file (checked on disk: the index does not list sidecars other than captions). */
async function imagesWithRegions(dataset: DatasetService, images: readonly ImageEntry[]): Promise<ImageEntry[]> {
  const index = dataset.index!;
  const found = await Promise.all(images.map((img) => fs.stat(regionsPathFor(index.imagePath(img))).then((st) => st.isFile(), () => false)));
  return images.filter((_, i) => found[i]);
}

async function countWithText(files: readonly string[]): Promise<number> {
  return (await filesWithText(files)).filter(Boolean).length;
}

/** The images whose file (`fileOf`) is missing or empty. */
async function withoutText(images: readonly ImageEntry[], fileOf: (img: ImageEntry) => string): Promise<ImageEntry[]> {
  const present = await filesWithText(images.map(fileOf));
  return images.filter((_, i) => !present[i]);
}

/** An image whose caption a mode other than skip would change (not read yet counts: it may have one). */
function hasCaption(img: ImageEntry): boolean {
  return img.captionState === 'text' || img.captionState === 'unknown';
}

/** How many of these items' images have a caption now. */
async function countCaptioned(dataset: DatasetService, items: readonly BatchItem[]): Promise<number> {
  const index = dataset.index;
  const images = items.map((item) => index?.findImage(item.imagePath)).filter((img): img is ImageEntry => Boolean(img));
  await dataset.loadCaptions(images);
  return images.filter(hasCaption).length;
}

/**
 * What to do with images that already have a caption: the setting imageCaptioner.batch.mode, or
 * the user's answer when it is "ask". Overwriting is always confirmed, naming the count.
 */
async function chooseMode(images: readonly ImageEntry[], captionedCount?: number): Promise<BatchMode | undefined> {
  const captioned = captionedCount ?? images.filter(hasCaption).length;
  if (captioned === 0) return 'skip';
  const setting = readBatchSettings().mode;
  const mode = setting === 'ask' ? await askMode(images.length, captioned) : setting;
  if (mode === 'overwrite' && !(await confirmOverwrite(captioned))) return undefined;
  return mode;
}

async function askMode(total: number, captioned: number): Promise<BatchMode | undefined> {
  const options: Array<vscode.QuickPickItem & { mode: BatchMode }> = [
    { mode: 'skip', label: 'Skip captioned images', description: `caption ${total - captioned}, keep ${captioned} as they are` },
    { mode: 'overwrite', label: 'Overwrite existing captions', description: `replace ${captioned} captions` },
    { mode: 'append', label: 'Append to existing captions', description: 'generated text after the caption' },
    { mode: 'prepend', label: 'Prepend to existing captions', description: 'generated text before the caption' },
  ];
  const picked = await vscode.window.showQuickPick(options, { title: `${captioned} of ${total} images already have a caption` });
  return picked?.mode;
}

async function confirmOverwrite(captioned: number): Promise<boolean> {
  const ok = await showWarning(`Overwrite ${captioned} existing caption${captioned === 1 ? '' : 's'}?`, { modal: true }, 'Overwrite');
  return ok === 'Overwrite';
}

function cancelledIsFine(err: unknown): undefined {
  if (err instanceof vscode.CancellationError) return undefined;
  void showError(`Captioning failed: ${(err as Error).message}`);
  return undefined;
}

export const BATCH_FOLDER_NAME = 'caption-jobs';

export function journalFolder(context: vscode.ExtensionContext): string {
  return path.join((context.storageUri ?? context.globalStorageUri).fsPath, BATCH_FOLDER_NAME);
}
