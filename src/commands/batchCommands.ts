import * as vscode from 'vscode';
import * as path from 'node:path';
import { BatchMode } from '../core/captioning/captionMerge';
import { BatchItem } from '../core/captioning/batchTypes';
import { ImageEntry } from '../core/dataset/types';
import { ScopePicker } from './scopePicker';
import { readBatchSettings } from '../generationSettings';
import { BatchReport, BatchRunner } from '../services/batchRunner';
import { CaptioningService } from '../services/captioningService';
import { DatasetService } from '../services/datasetService';
import { DatasetTreeNode, DatasetTreeProvider } from '../views/datasetTreeProvider';
import { showError, showInformation, showWarning } from '../services/notifications';
import { labelText } from '../services/plainText';

/** Caption All / Uncaptioned / Selected / Filtered, Resume, and Retry Failed. */
export function registerBatchCommands(
  dataset: DatasetService,
  tree: DatasetTreeProvider,
  treeView: vscode.TreeView<DatasetTreeNode>,
  captioning: CaptioningService,
  runner: BatchRunner,
  scopes: ScopePicker,
): vscode.Disposable[] {
  const start = async (title: string, images: readonly ImageEntry[] | undefined, forcedMode?: BatchMode): Promise<void> => {
    if (!images) return;
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
      return;
    }
    const model = await captioning.currentModel();
    if (!model) return;
    const mode = forcedMode ?? (await chooseMode(usable));
    if (!mode) return;
    const items: BatchItem[] = usable.map((img) => ({ imagePath: index.imagePath(img), captionPath: index.captionPath(img) }));
    if (collisions) captioning.log.warn(`${collisions} image(s) skipped: they share a caption file with another image (resolve with Rename Image…)`);
    await report(await runner.run(items, model, mode, `${title} (${items.length} images)`).catch(cancelledIsFine));
  };

  /** Tells the outcome without waiting for the user: the command ends when the batch does. */
  const report = async (result: BatchReport | undefined): Promise<void> => {
    if (!result) return;
    const { summary, failedItems, model } = result;
    const text = `${summary.cancelled ? 'Captioning cancelled' : 'Captioning finished'}: ${summary.written} written, ${summary.skipped} skipped, ${summary.failed} failed${summary.pending ? `, ${summary.pending} left (Resume continues)` : ''}.`;
    const actions = [failedItems.length ? 'Retry Failed' : undefined, 'Show Log'].filter((a): a is string => Boolean(a));
    const shown = summary.failed ? showWarning(text, ...actions) : showInformation(text, ...actions);
    void shown.then(async (choice) => {
      if (choice === 'Show Log') captioning.log.show();
      if (choice === 'Retry Failed') await report(await runner.run(failedItems, model, 'overwrite', `Retrying ${failedItems.length} failed images`).catch(cancelledIsFine));
    });
  };

  const ready = async (): Promise<boolean> => {
    await dataset.whenReady();
    if (dataset.index && dataset.index.size > 0) return true;
    void showInformation('Open a dataset folder with images first.');
    return false;
  };

  return [
    vscode.commands.registerCommand('imageCaptioner.captionAll', async () => {
      if (await ready()) await start('Captioning all images', dataset.index!.images());
    }),
    vscode.commands.registerCommand('imageCaptioner.captionUncaptioned', async () => {
      if (!(await ready())) return;
      await dataset.loadCaptions(dataset.index!.images());
      const images = dataset.index!.images().filter((img) => img.captionState === 'none' || img.captionState === 'empty');
      await start('Captioning uncaptioned images', images, 'skip');
    }),
    vscode.commands.registerCommand('imageCaptioner.captionSelected', async (arg?: unknown, args?: unknown) => {
      if (await ready()) await start('Captioning selected images', (scopes.fromArguments(arg, args) ?? scopes.fromNodes(treeView.selection)).images);
    }),
    vscode.commands.registerCommand('imageCaptioner.captionFiltered', async () => {
      if (await ready()) await start(`Captioning images matching "${tree.query}"`, tree.visibleImages());
    }),
    vscode.commands.registerCommand('imageCaptioner.resumeCaptioning', async () => {
      const jobs = await runner.unfinished();
      if (jobs.length === 0) {
        void showInformation('No unfinished captioning job in this workspace.');
        return;
      }
      const picked = await vscode.window.showQuickPick(
        jobs.map((job) => ({
          label: `${job.remaining} of ${job.total} images left`,
          description: labelText(`${captioning.registry.find(job.modelId)?.label ?? job.modelId ?? 'unknown model'} · ${job.mode}`),
          detail: `Started ${new Date(job.created).toLocaleString()} · ${job.done} done, ${job.failed} failed`,
          job,
        })),
        { title: 'Resume which captioning job?' },
      );
      if (!picked) return;
      const model = captioning.registry.find(picked.job.modelId);
      if (!model) {
        void showError(`The job's model ${picked.job.modelId} is no longer configured; add it back in imageCaptioner.models to resume.`);
        return;
      }
      await report(await runner.resume(picked.job, model).catch(cancelledIsFine));
    }),
  ];
}

/** Asks what to do with images that already have a caption; overwriting needs a confirmation naming the count. */
async function chooseMode(images: readonly ImageEntry[]): Promise<BatchMode | undefined> {
  const captioned = images.filter((img) => img.captionState === 'text' || img.captionState === 'unknown').length;
  if (captioned === 0) return 'skip';
  const preferred = readBatchSettings().mode;
  const options: Array<vscode.QuickPickItem & { mode: BatchMode }> = [
    { mode: 'skip', label: 'Skip captioned images', description: `caption ${images.length - captioned}, keep ${captioned} as they are` },
    { mode: 'overwrite', label: 'Overwrite existing captions', description: `replace ${captioned} captions` },
    { mode: 'append', label: 'Append to existing captions', description: 'generated text after the caption' },
    { mode: 'prepend', label: 'Prepend to existing captions', description: 'generated text before the caption' },
  ];
  options.sort((a, b) => Number(b.mode === preferred) - Number(a.mode === preferred));
  const picked = await vscode.window.showQuickPick(options, { title: `${captioned} of ${images.length} images already have a caption` });
  if (!picked) return undefined;
  if (picked.mode === 'overwrite') {
    const ok = await showWarning(`Overwrite ${captioned} existing caption${captioned === 1 ? '' : 's'}?`, { modal: true }, 'Overwrite');
    if (ok !== 'Overwrite') return undefined;
  }
  return picked.mode;
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
