/** The files that belong to an image (its caption, its regions): one rule for their names, one check of a suffix. */
import * as path from 'node:path';
import { stemOf } from './imageFiles';

/** Regions drawn on or grounded in an image (schema in ARCHITECTURE.md: "Data on disk"). */
export const REGIONS_SUFFIX = '.regions.json';

/** The name of an image's sidecar: its stem and `suffix` (`a.b.jpg` + `.txt` -> `a.b.txt`). */
export function sidecarName(imageName: string, suffix: string): string {
  return stemOf(imageName) + suffix;
}

/** The path of an image's sidecar, in the image's folder. */
export function sidecarPath(imagePath: string, suffix: string): string {
  return path.join(path.dirname(imagePath), sidecarName(path.basename(imagePath), suffix));
}

export function regionsPathFor(imagePath: string): string {
  return sidecarPath(imagePath, REGIONS_SUFFIX);
}

/** Every sidecar suffix an image may have (caption, second caption, regions): what travels with it when it moves. */
export function sidecarSuffixes(captionExtension: string, secondCaptionExtension?: string): readonly string[] {
  return secondCaptionExtension ? [captionExtension, secondCaptionExtension, REGIONS_SUFFIX] : [captionExtension, REGIONS_SUFFIX];
}

/** A dot and plain name parts: `.txt`, `.caption`, `.en.txt`; no separators, no `..`, nothing absolute. */
const PLAIN_SUFFIX = /^(?:\.[\p{L}\p{N}_-]+)+$/u;
const MAX_SUFFIX_LENGTH = 40;

/**
 * Why `suffix` cannot name an image's sidecar, or undefined when it can. Besides its shape, it must
 * not make the sidecar of one image another image (`.png`) or another kind of sidecar.
 */
export function sidecarSuffixProblem(suffix: string, imageExtensions: ReadonlySet<string>): string | undefined {
  if (suffix.length > MAX_SUFFIX_LENGTH || !PLAIN_SUFFIX.test(suffix)) {
    return 'it must be a dot and a plain suffix such as .txt, .caption or .en.txt (letters, digits, - and _; no folders, no "..")';
  }
  if (imageExtensions.has(suffix.slice(suffix.lastIndexOf('.') + 1).toLowerCase())) return `it ends in an image extension, so captions would overwrite images`;
  if (suffix.toLowerCase().endsWith(REGIONS_SUFFIX)) return `it ends in ${REGIONS_SUFFIX}, the regions file of each image`;
  return undefined;
}

/**
 * Why `suffix` cannot name each image's second caption (`.tags.txt`), or undefined when it can: a
 * sidecar suffix of its own, never the caption's, so one file is never both of an image's captions.
 */
export function secondCaptionSuffixProblem(suffix: string, captionExtension: string, imageExtensions: ReadonlySet<string>): string | undefined {
  const problem = sidecarSuffixProblem(suffix, imageExtensions);
  if (problem) return problem;
  if (suffix.toLowerCase() === captionExtension.toLowerCase()) return `it is the caption extension (${captionExtension}): both captions would be one file`;
  return undefined;
}

/**
 * The sidecar names an image claims: its caption and, when there is one, its second caption. Two
 * images of a folder claiming one name would share a file (`a.jpg` and `a.png` the caption `a.txt`;
 * `a.png`'s second caption `a.tags.txt` is `a.tags.png`'s caption): the index flags both.
 */
export function claimedSidecarNames(imageName: string, captionExtension: string, secondCaptionExtension: string | undefined): string[] {
  const names = [sidecarName(imageName, captionExtension)];
  if (secondCaptionExtension) names.push(sidecarName(imageName, secondCaptionExtension));
  return names;
}
