/** Guessing a caption-set file's format from its name and first bytes. */

import { extensionOf } from '../dataset/imageFiles';
import { ImportFormat } from './importTypes';

/** How many bytes detectFormat needs at most. */
export const DETECT_BYTES = 4096;

const TOKEN_LINE = /^[^\t]+#\d+\t/;
const JSON_LINES_EXTENSIONS = new Set(['jsonl', 'ndjson']);

/** The parser for a file, or undefined when neither its name nor its start tells. */
export function detectFormat(fileName: string, firstBytes: Uint8Array | string): ImportFormat | undefined {
  const text = typeof firstBytes === 'string' ? firstBytes : new TextDecoder('utf-8').decode(firstBytes.subarray(0, DETECT_BYTES));
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  const first = lines[0]?.trim() ?? '';
  const ext = extensionOf(fileName);
  if (first.startsWith('{')) return detectJsonKind(first, lines, ext);
  if (JSON_LINES_EXTENSIONS.has(ext)) return 'jsonl';
  if (ext === 'json') return 'coco-json';
  if (TOKEN_LINE.test(first)) return 'flickr-token';
  if (first.replace(/"/g, '').replace(/\s/g, '').toLowerCase() === 'image,caption') return 'flickr-csv';
  if (ext === 'csv' || ext === 'tsv' || /[,\t;|]/.test(first)) return 'csv';
  return undefined;
}

/** COCO is one object with images/annotations (often on one long line); JSONL is an object per line. */
function detectJsonKind(first: string, lines: readonly string[], ext: string): ImportFormat {
  if (JSON_LINES_EXTENSIONS.has(ext)) return 'jsonl';
  const whole = tryParse(first);
  if (whole && typeof whole === 'object' && !Array.isArray(whole)) {
    const keys = Object.keys(whole);
    if (keys.includes('annotations') || keys.includes('images')) return 'coco-json';
    return 'jsonl';
  }
  if (/"(annotations|images)"\s*:/.test(lines.join('\n'))) return 'coco-json';
  return ext === 'json' ? 'coco-json' : 'jsonl';
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
