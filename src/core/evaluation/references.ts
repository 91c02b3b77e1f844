/**
 * Reference captions for an evaluation: a second sidecar beside each image (`photo.ref.txt`, one
 * reference per non-empty line) or an imported caption set (every caption of an image is one of its
 * references). What cannot be used is counted (ReferenceCounts), never a crash or a silent zero.
 */
import * as path from 'node:path';
import { readCaptionSources } from '../captions/readCaptions';
import { sidecarPath, sidecarSuffixProblem } from '../dataset/sidecars';
import type { DatasetBoundary } from '../files/datasetBoundary';
import { ImageMatcher } from '../import/imageMatcher';
import type { CaptionRecord } from '../import/importTypes';
import type { ReferenceCounts } from './evaluationReport';

/** The default reference suffix (setting imageCaptioner.evaluate.referenceExtension). */
export const DEFAULT_REFERENCE_EXTENSION = '.ref.txt';

/** An image of the dataset (or the scope) that may have references. */
export interface ReferenceImage {
  readonly imagePath: string;
  /** Relative to the dataset root, '/' separated: the image's id in the report. */
  readonly relPath: string;
  readonly captionPath: string;
}

/** Each image's references by relative path (only images with at least one), and what was counted on the way. */
export interface ReferenceSet {
  readonly references: ReadonlyMap<string, readonly string[]>;
  readonly counts: ReferenceCounts;
}

/**
 * Why `extension` cannot name reference files, or undefined when it can: a sidecar suffix that is
 * not the caption suffix, so a reference is never read or written as a caption (nor as an image).
 */
export function referenceSuffixProblem(extension: string, captionExtension: string, imageExtensions: ReadonlySet<string>): string | undefined {
  const problem = sidecarSuffixProblem(extension, imageExtensions);
  if (problem) return problem;
  if (extension.toLowerCase() === captionExtension.toLowerCase()) return `it is the caption extension (${captionExtension}): references would be the captions themselves`;
  return undefined;
}

/** The non-empty lines of a reference file, trimmed: one reference each. */
export function referenceLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/).map((line) => line.trim()).filter((line) => line.length > 0);
}

/**
 * Reads `<stem><extension>` beside each image through the dataset boundary (bounded, regular files,
 * UTF-8). A file that cannot be read, or that is at the same time another image's caption file
 * (`a.ref.jpg`'s `a.ref.txt`), is listed as unreadable; one without a non-empty line counts as one
 * empty reference.
 */
export async function readSidecarReferences(
  images: readonly ReferenceImage[],
  extension: string,
  boundary: DatasetBoundary,
  options: { readonly signal?: AbortSignal } = {},
): Promise<ReferenceSet> {
  const root = boundary.root;
  const captionFiles = new Set(images.map((image) => image.captionPath));
  const unreadable: { path: string; reason: string }[] = [];
  const relOf = (file: string): string => path.relative(root, file).split(path.sep).join('/');
  const pairs: { imagePath: string; captionPath: string }[] = [];
  const relPathOf = new Map<string, string>();
  for (const image of images) {
    const file = sidecarPath(image.imagePath, extension);
    relPathOf.set(image.imagePath, image.relPath);
    if (captionFiles.has(file)) unreadable.push({ path: relOf(file), reason: 'it is also the caption file of another image; rename that image or choose another reference extension' });
    else pairs.push({ imagePath: image.imagePath, captionPath: file });
  }
  const { sources, failures } = await readCaptionSources(pairs, boundary, { signal: options.signal });
  for (const failure of failures) unreadable.push({ path: relOf(failure.captionPath), reason: failure.message });
  const references = new Map<string, string[]>();
  let emptyReferences = 0;
  for (const source of sources) {
    if (source.text === undefined) continue;
    const lines = referenceLines(source.text);
    if (lines.length === 0) emptyReferences++;
    else references.set(relPathOf.get(source.imagePath)!, lines);
  }
  unreadable.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    references,
    counts: { imagesWithReferences: references.size, imagesWithoutReferences: images.length - references.size, referencesWithoutImage: 0, emptyReferences, unreadable },
  };
}

/**
 * The references of an imported caption set: each record is matched to a dataset image by the
 * importers' ImageMatcher (relative path, then unique file name, then stem when `matchStem`); all
 * captions of an image are its references. Records naming no image (or several) are counted.
 */
export function importedReferences(records: readonly CaptionRecord[], images: readonly ReferenceImage[], matchStem = false): ReferenceSet {
  const matcher = new ImageMatcher(images.map((image) => ({ ...image, existing: undefined })), matchStem);
  const references = new Map<string, string[]>();
  let referencesWithoutImage = 0;
  let emptyReferences = 0;
  for (const record of records) {
    const match = matcher.match(record.image);
    if (match.kind !== 'matched') {
      referencesWithoutImage++;
      continue;
    }
    const text = record.caption.trim();
    if (!text) {
      emptyReferences++;
      continue;
    }
    const list = references.get(match.image.relPath);
    if (list) list.push(text);
    else references.set(match.image.relPath, [text]);
  }
  return {
    references,
    counts: { imagesWithReferences: references.size, imagesWithoutReferences: images.length - references.size, referencesWithoutImage, emptyReferences, unreadable: [] },
  };
}
