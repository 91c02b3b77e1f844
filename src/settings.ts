import * as vscode from 'vscode';
import { DEFAULT_CAPTION_EXTENSION, DEFAULT_IMAGE_EXTENSIONS, extensionSet, normalizeCaptionExtension, CASE_INSENSITIVE_STEMS } from './core/dataset/imageFiles';
import { secondCaptionSuffixProblem, sidecarSuffixProblem } from './core/dataset/sidecars';
import { IndexOptions } from './core/dataset/types';

const SECTION = 'imageCaptioner';

/** Index options and, for each setting that could not be used as given, why (the default was used instead). */
export interface IndexSettings {
  readonly options: IndexOptions;
  readonly problems: readonly SettingProblem[];
}

export interface SettingProblem {
  readonly setting: string;
  /** The value as configured, for the log (data, never markup). */
  readonly value: string;
  readonly reason: string;
  readonly usedInstead: string;
}

/**
 * The index options the user's settings ask for, validated here whatever scope they came from: a
 * caption extension that could name a file elsewhere (`../x`, `/etc/passwd`, `.png`) is replaced by `.txt`.
 */
export function readIndexSettings(): IndexSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const imageExtensions = extensionSet(config.get<string[]>('imageExtensions', [...DEFAULT_IMAGE_EXTENSIONS]).filter((e) => typeof e === 'string'));
  const configured = config.get<unknown>('captionExtension', DEFAULT_CAPTION_EXTENSION);
  const normalized = typeof configured === 'string' ? normalizeCaptionExtension(configured) : String(configured);
  const reason = sidecarSuffixProblem(normalized, imageExtensions);
  const problems: SettingProblem[] = reason
    ? [{ setting: `${SECTION}.captionExtension`, value: JSON.stringify(configured), reason, usedInstead: DEFAULT_CAPTION_EXTENSION }]
    : [];
  const captionExtension = reason ? DEFAULT_CAPTION_EXTENSION : normalized;
  const second = readSecondCaptionExtension(config, captionExtension, imageExtensions);
  if (second.problem) problems.push(second.problem);
  return {
    options: {
      imageExtensions,
      captionExtension,
      secondCaptionExtension: second.extension,
      recursive: config.get<boolean>('recursive', true),
      caseInsensitiveStems: CASE_INSENSITIVE_STEMS,
      followLinksOutside: config.get<boolean>('followLinksOutsideDataset', false) === true,
    },
    problems,
  };
}

/** `imageCaptioner.secondCaption.extension`: '' (off) unless it names a sidecar of its own; a bad value turns it off with a problem. */
function readSecondCaptionExtension(config: vscode.WorkspaceConfiguration, captionExtension: string, imageExtensions: ReadonlySet<string>): { extension: string; problem?: SettingProblem } {
  const configured = config.get<unknown>('secondCaption.extension', '');
  if (typeof configured === 'string' && configured.trim() === '') return { extension: '' };
  const normalized = typeof configured === 'string' ? normalizeCaptionExtension(configured) : String(configured);
  const reason = secondCaptionSuffixProblem(normalized, captionExtension, imageExtensions);
  if (!reason) return { extension: normalized };
  return { extension: '', problem: { setting: `${SECTION}.secondCaption.extension`, value: JSON.stringify(configured), reason, usedInstead: '"" (no second caption)' } };
}

export function readIndexOptions(): IndexOptions {
  return readIndexSettings().options;
}

export function affectsIndex(event: vscode.ConfigurationChangeEvent): boolean {
  return ['imageExtensions', 'captionExtension', 'secondCaption.extension', 'recursive', 'followLinksOutsideDataset'].some((key) => event.affectsConfiguration(`${SECTION}.${key}`));
}

export function saveOnNavigate(): boolean {
  return vscode.workspace.getConfiguration(SECTION).get<boolean>('editor.saveOnNavigate', true);
}

export function treeDescriptionLength(): number {
  return vscode.workspace.getConfiguration(SECTION).get<number>('tree.descriptionLength', 60);
}

export function affectsTreeDescription(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(`${SECTION}.tree.descriptionLength`);
}
