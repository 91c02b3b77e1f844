/** File-name rules of a dataset: which files are images, and which caption file belongs to an image. */

export const DEFAULT_IMAGE_EXTENSIONS: readonly string[] = [
  'jpg', 'jpeg', 'png', 'webp', 'gif', 'bmp', 'tif', 'tiff', 'avif',
];

export const DEFAULT_CAPTION_EXTENSION = '.txt';

/** Whether `A.jpg` and `a.png` share one caption file here: the file systems of Windows and macOS ignore case by default. */
export const CASE_INSENSITIVE_STEMS = process.platform === 'win32' || process.platform === 'darwin';

/** Lower-case extensions without dots, as a Set for O(1) checks. */
export function extensionSet(extensions: readonly string[]): ReadonlySet<string> {
  return new Set(extensions.map((e) => e.replace(/^\./, '').toLowerCase()).filter((e) => e.length > 0));
}

/** The extension after the last dot, lower-cased, or '' when there is none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** The file name without its last extension: `a.b.jpg` -> `a.b`. */
export function stemOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

export function isImageName(name: string, extensions: ReadonlySet<string>): boolean {
  return !name.startsWith('.') && extensions.has(extensionOf(name));
}

/** Normalizes a configured caption extension: `txt` and `.txt` both give `.txt`. */
export function normalizeCaptionExtension(ext: string): string {
  const trimmed = ext.trim();
  if (!trimmed) return DEFAULT_CAPTION_EXTENSION;
  return trimmed.startsWith('.') ? trimmed : `.${trimmed}`;
}

/** The key two images collide on: their stem, folded where the file system ignores case. */
export function stemKey(name: string, caseInsensitive: boolean): string {
  const stem = stemOf(name);
  return caseInsensitive ? stem.toLowerCase() : stem;
}

const naturalCollator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/**
 * Natural, case-insensitive order (`img2` before `img10`, `apple1` before `Apple2`), the same on
 * every machine (a fixed locale); names equal to the collator are ordered by code units.
 */
export function compareNames(a: string, b: string): number {
  return naturalCollator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
