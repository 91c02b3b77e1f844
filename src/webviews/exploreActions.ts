import * as vscode from 'vscode';
import type { ExploreAction } from './protocol/exploreMessages';

/** The existing command each bulk action runs; each takes (first Uri, all Uris) and then skips its scope quick pick. */
const COMMANDS: Readonly<Record<Exclude<ExploreAction, 'showInDatasetView' | 'export'>, string>> = {
  findReplace: 'imageCaptioner.findReplace',
  prefixSuffix: 'imageCaptioner.addPrefixSuffix',
  editTags: 'imageCaptioner.editTags',
  caption: 'imageCaptioner.captionSelected',
  clipScore: 'imageCaptioner.clipScore.run',
};

const EXPORTS = [
  { label: 'WebDataset shards', command: 'imageCaptioner.exportWebDataset' },
  { label: 'webData.zip (the NVIDIA tool\'s layout)', command: 'imageCaptioner.exportSeedZip' },
  { label: 'Hugging Face imagefolder', command: 'imageCaptioner.exportImageFolder' },
  { label: 'CSV / JSONL table of captions', command: 'imageCaptioner.exportCaptionTable' },
] as const;

/** Actions that send images to a model: refused in an untrusted workspace. */
const MODEL_ACTIONS: ReadonlySet<ExploreAction> = new Set(['caption', 'clipScore']);

export interface ActionDeps {
  readonly isTrusted: () => boolean;
  /** Makes the Dataset view show exactly these images (relative paths), named by `label`. */
  readonly showInDatasetView: (relPaths: readonly string[], label: string) => Promise<void>;
}

/**
 * Runs a bulk action of the Explore panel on a group of images (absolute paths, and their relative
 * paths for the Dataset view): the same commands as the palette, handed the images as Uris.
 */
export async function runExploreAction(action: ExploreAction, imagePaths: readonly string[], relPaths: readonly string[], deps: ActionDeps): Promise<void> {
  if (imagePaths.length === 0) throw new Error('Select points in the plot or a cluster first.');
  if (MODEL_ACTIONS.has(action) && !deps.isTrusted()) throw new Error('This workspace is not trusted: no image is sent to a model until you trust it.');
  if (action === 'showInDatasetView') return deps.showInDatasetView(relPaths, `Explore: ${relPaths.length.toLocaleString('en-US')} images`);
  const uris = imagePaths.map((p) => vscode.Uri.file(p));
  if (action === 'export') {
    const picked = await vscode.window.showQuickPick(EXPORTS.map((e) => ({ label: e.label, command: e.command })), { title: `Export ${uris.length.toLocaleString('en-US')} images as…` });
    if (picked) await vscode.commands.executeCommand(picked.command, uris[0], uris);
    return;
  }
  await vscode.commands.executeCommand(COMMANDS[action], uris[0], uris);
}
