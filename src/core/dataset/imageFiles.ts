/** File-name rules of a dataset: which files are images, and which caption file belongs to an image. */

export const DEFAULT_IMAGE_EXTENSIONS: readonly string[] = [
  'jpg', 'jpeg', 'png', 'webp', 'gif', 'bmp', 'tif', 'tiff', 'avif',
];

export const DEFAULT_CAPTION_EXTENSION = '.txt';

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

export function captionNameFor(imageName: string, captionExtension: string): string {
  return stemOf(imageName) + captionExtension;
}

/** The key two images collide on: their stem, folded where the file system ignores case. */
export function stemKey(name: string, caseInsensitive: boolean): string {
  const stem = stemOf(name);
  return caseInsensitive ? stem.toLowerCase() : stem;
}

/** Natural, case-insensitive order (`img2` before `img10`, `apple1` before `Apple2`); case breaks ties. */
export function compareNames(a: string, b: string): number {
  const folded = compareFolded(a, b);
  return folded !== 0 ? folded : a < b ? -1 : a > b ? 1 : 0;
}

function compareFolded(a: string, b: string): number {
  const n = a.length < b.length ? a.length : b.length;
  let i = 0;
  while (i < n && lowerCode(a.charCodeAt(i)) === lowerCode(b.charCodeAt(i))) i++;
  if (i === n) return a.length - b.length;
  let start = i;
  while (start > 0 && isDigit(a.charCodeAt(start - 1))) start--;
  const da = digitRunEnd(a, start);
  const db = digitRunEnd(b, start);
  if (da > start && db > start) {
    const va = stripZeros(a.slice(start, da));
    const vb = stripZeros(b.slice(start, db));
    if (va.length !== vb.length) return va.length - vb.length;
    if (va !== vb) return va < vb ? -1 : 1;
    if (da - start !== db - start) return da - start - (db - start);
  }
  return lowerCode(a.charCodeAt(i)) - lowerCode(b.charCodeAt(i));
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function digitRunEnd(s: string, from: number): number {
  let i = from;
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  return i;
}

function stripZeros(digits: string): string {
  const stripped = digits.replace(/^0+/, '');
  return stripped.length ? stripped : '0';
}

function lowerCode(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}
