import * as vscode from 'vscode';
import { DEFAULT_IMAGE_EXTENSIONS, extensionSet, normalizeCaptionExtension } from './core/dataset/imageFiles';
import { IndexOptions } from './core/dataset/types';

const SECTION = 'imageCaptioner';

/** The index options the user's settings ask for. */
export function readIndexOptions(): IndexOptions {
  const config = vscode.workspace.getConfiguration(SECTION);
  return {
    imageExtensions: extensionSet(config.get<string[]>('imageExtensions', [...DEFAULT_IMAGE_EXTENSIONS])),
    captionExtension: normalizeCaptionExtension(config.get<string>('captionExtension', '.txt')),
    recursive: config.get<boolean>('recursive', true),
    caseInsensitiveStems: process.platform === 'win32' || process.platform === 'darwin',
  };
}

export function affectsIndex(event: vscode.ConfigurationChangeEvent): boolean {
  return ['imageExtensions', 'captionExtension', 'recursive'].some((key) => event.affectsConfiguration(`${SECTION}.${key}`));
}

export function saveOnNavigate(): boolean {
  return vscode.workspace.getConfiguration(SECTION).get<boolean>('editor.saveOnNavigate', true);
}

export function treeDescriptionLength(): number {
  return vscode.workspace.getConfiguration(SECTION).get<number>('tree.descriptionLength', 60);
}
