/**
 * The dataset every CLI command works on: the folder indexed by the same core as the extension
 * (folder scan, caption extension rules, DatasetBoundary), with one-line errors a user can act on.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DatasetIndex } from '../core/dataset/datasetIndex';
import { CASE_INSENSITIVE_STEMS, DEFAULT_CAPTION_EXTENSION, DEFAULT_IMAGE_EXTENSIONS, extensionSet, normalizeCaptionExtension } from '../core/dataset/imageFiles';
import { inShard, ShardSpec } from '../core/dataset/shardOf';
import { secondCaptionSuffixProblem, sidecarSuffixProblem } from '../core/dataset/sidecars';
import type { ImageEntry, IndexOptions } from '../core/dataset/types';
import { CliError } from './cliCommand';
import type { DatasetSettings } from './datasetFlags';

/** The index options the extension would use for these settings; a caption extension that could name another file is an error here, not a silent default. */
export function indexOptionsOf(settings: DatasetSettings): IndexOptions {
  const imageExtensions = extensionSet(settings.imageExtensions ?? DEFAULT_IMAGE_EXTENSIONS);
  if (imageExtensions.size === 0) throw new CliError('--image-extensions names no extension; e.g. --image-extensions jpg,png');
  const captionExtension = normalizeCaptionExtension(settings.captionExtension ?? DEFAULT_CAPTION_EXTENSION);
  const problem = sidecarSuffixProblem(captionExtension, imageExtensions);
  if (problem) throw new CliError(`the caption extension "${captionExtension}" cannot be used: ${problem}`);
  const second = settings.secondCaptionExtension?.trim() ? normalizeCaptionExtension(settings.secondCaptionExtension) : '';
  const secondProblem = second ? secondCaptionSuffixProblem(second, captionExtension, imageExtensions) : undefined;
  if (secondProblem) throw new CliError(`the second caption extension "${second}" cannot be used: ${secondProblem}`);
  return {
    imageExtensions,
    captionExtension,
    secondCaptionExtension: second,
    recursive: settings.recursive ?? true,
    caseInsensitiveStems: CASE_INSENSITIVE_STEMS,
    followLinksOutside: settings.followLinksOutside === true,
  };
}

/** An indexed dataset and what a command needs from it. */
export interface LoadedDataset {
  readonly index: DatasetIndex;
  /** Images a command may use, in dataset order: no stem collisions (they would share a caption file), no links leading out. */
  readonly images: readonly ImageEntry[];
  /** One line each: stem collisions and images outside the dataset left out, folders that could not be listed. */
  readonly warnings: readonly string[];
}

/**
 * Indexes `dataset` (relative to `cwd`). Throws CliError with one line for a path that does not
 * exist, is not a folder, or holds no images.
 */
export async function loadDataset(dataset: string, settings: DatasetSettings, cwd: string, signal?: AbortSignal): Promise<LoadedDataset> {
  const options = indexOptionsOf(settings);
  const root = path.resolve(cwd, dataset);
  const stat = await fs.stat(root).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') throw new CliError(`dataset folder ${root} does not exist`);
    throw new CliError(`cannot open the dataset folder ${root}: ${err.message}`);
  });
  if (!stat.isDirectory()) throw new CliError(`${root} is not a folder; pass the dataset's folder`);
  const index = await DatasetIndex.build(root, options, signal);
  const warnings: string[] = [];
  const images: ImageEntry[] = [];
  for (const image of index.images()) {
    const rel = relPathOf(index, image);
    if (image.collision) warnings.push(`${rel}: left out, another image in its folder has the same name stem (they would share one caption file)`);
    else if (index.isOutside(image)) warnings.push(`${rel}: left out, a link to a file outside the dataset`);
    else images.push(image);
  }
  for (const folder of foldersWithErrors(index)) warnings.push(`${folder.relPath || '.'}: folder not read (${folder.error})`);
  if (index.size === 0) {
    const where = options.recursive ? 'in it or its subfolders' : 'in it (--no-recursive)';
    throw new CliError(`no images in ${root}: looked for ${[...options.imageExtensions].map((e) => `.${e}`).join(' ')} ${where}`);
  }
  return { index, images, warnings };
}

/** The image's '/'-separated path relative to the dataset root. */
export function relPathOf(index: DatasetIndex, image: ImageEntry): string {
  return index.relativePath(index.imagePath(image)) ?? image.name;
}

/** The images of one shard (`--shard I/N`), chosen by their relative paths, in dataset order. */
export function imagesOfShard(loaded: LoadedDataset, shard: ShardSpec): ImageEntry[] {
  return inShard(loaded.images, shard, (image) => relPathOf(loaded.index, image));
}


function* foldersWithErrors(index: DatasetIndex): Generator<{ relPath: string; error: string }> {
  const stack = [index.root];
  while (stack.length) {
    const folder = stack.pop()!;
    if (folder.error) yield { relPath: folder.relPath, error: folder.error };
    stack.push(...folder.subfolders);
  }
}
