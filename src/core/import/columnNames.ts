/** Which column (CSV) or key (JSONL) holds the image and which the caption: as configured, or detected. */

import { ColumnOptions } from './importTypes';

export const IMAGE_COLUMN_NAMES: readonly string[] = ['file_name', 'image', 'filename', 'path', 'image_path', 'image_name', 'file'];
export const CAPTION_COLUMN_NAMES: readonly string[] = ['text', 'caption', 'label', 'captions', 'comment', 'description'];

export interface ResolvedColumns {
  readonly image: string;
  readonly caption: string;
}

/** Resolves both columns against `available` (header names or object keys), or says what is missing. */
export function resolveColumns(
  available: readonly string[],
  options: ColumnOptions,
  noun: 'column' | 'key',
): ResolvedColumns | { problem: string } {
  const image = pick(available, options.imageColumn, IMAGE_COLUMN_NAMES);
  const caption = pick(available, options.captionColumn, CAPTION_COLUMN_NAMES);
  const listed = available.map((n) => `"${n}"`).join(', ') || 'none';
  for (const [found, given, names, role] of [
    [image, options.imageColumn, IMAGE_COLUMN_NAMES, 'image'],
    [caption, options.captionColumn, CAPTION_COLUMN_NAMES, 'caption'],
  ] as const) {
    if (found !== undefined) continue;
    return {
      problem: given !== undefined
        ? `missing ${noun} "${given}" (${noun}s: ${listed})`
        : `no ${role} ${noun} found (${noun}s: ${listed}); name it ${names.join(', ')}, or choose the ${role} ${noun}`,
    };
  }
  return { image: image!, caption: caption! };
}

/** The configured name as written, else the first common name present; both case-insensitive. */
function pick(available: readonly string[], given: string | undefined, common: readonly string[]): string | undefined {
  const find = (name: string): string | undefined => available.find((a) => a.toLowerCase() === name.toLowerCase());
  if (given !== undefined) return find(given);
  for (const name of common) {
    const found = find(name);
    if (found !== undefined) return found;
  }
  return undefined;
}
