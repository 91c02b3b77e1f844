/** Finds the dataset image a caption-set row names: by relative path, then unique file name, then (optionally) stem. */

import { stemOf } from '../dataset/imageFiles';

/** An image of the dataset, its caption file and that file's current text (undefined when absent). */
export interface ImportImage {
  readonly imagePath: string;
  /** Relative to the dataset root, '/'-separated. */
  readonly relPath: string;
  readonly captionPath: string;
  readonly existing: string | undefined;
}

export type MatchResult =
  | { readonly kind: 'matched'; readonly image: ImportImage; readonly by: 'path' | 'name' | 'stem' }
  | { readonly kind: 'ambiguous'; readonly candidates: readonly string[] }
  | { readonly kind: 'unmatched'; readonly reason: string };

/** Matches source names to images; results are cached, since a source names each image several times. */
export class ImageMatcher {
  private readonly byPath = new Map<string, ImportImage>();
  private readonly byName = new Map<string, ImportImage[]>();
  private readonly byStem = new Map<string, ImportImage[]>();
  private readonly cache = new Map<string, MatchResult>();

  constructor(images: readonly ImportImage[], private readonly matchStem: boolean) {
    for (const image of images) {
      const rel = normalizePath(image.relPath);
      this.byPath.set(rel, image);
      const name = baseName(rel);
      push(this.byName, name, image);
      push(this.byStem, stemOf(name), image);
    }
  }

  match(source: string): MatchResult {
    let result = this.cache.get(source);
    if (!result) {
      result = this.find(normalizePath(source));
      this.cache.set(source, result);
    }
    return result;
  }

  private find(path: string): MatchResult {
    const exact = this.byPath.get(path);
    if (exact) return { kind: 'matched', image: exact, by: 'path' };
    const name = baseName(path);
    const named = this.byName.get(name) ?? [];
    if (named.length > 0) return pickOne(named, path, 'name');
    const stemmed = this.matchStem ? this.byStem.get(stemOf(name)) ?? [] : [];
    if (stemmed.length > 0) return pickOne(stemmed, path, 'stem');
    return { kind: 'unmatched', reason: this.matchStem ? 'no image with this path, file name or stem' : 'no image with this path or file name' };
  }
}

/**
 * One candidate matches outright; several are told apart by the folders the source names
 * (`data/cats/a.jpg` picks `cats/a.jpg` over `dogs/a.jpg`), else the name is ambiguous.
 */
function pickOne(candidates: readonly ImportImage[], source: string, by: 'name' | 'stem'): MatchResult {
  if (candidates.length === 1) return { kind: 'matched', image: candidates[0], by };
  const folders = source.split('/').slice(0, -1);
  const scored = candidates.map((image) => ({ image, score: sharedTrailingFolders(folders, normalizePath(image.relPath).split('/').slice(0, -1)) }));
  const best = Math.max(...scored.map((s) => s.score));
  const top = scored.filter((s) => s.score === best);
  if (best > 0 && top.length === 1) return { kind: 'matched', image: top[0].image, by: 'path' };
  return { kind: 'ambiguous', candidates: candidates.map((c) => c.relPath) };
}

function sharedTrailingFolders(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

/** '/'-separated, without leading './' or '/'. */
function normalizePath(path: string): string {
  return path.trim().replace(/\\/g, '/').replace(/^(?:\.\/|\/)+/, '');
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
