/** Decoding and encoding caption bytes: UTF-8 only, with the file's BOM and newline style kept. */

export type LineEnding = '\n' | '\r\n';

export interface CaptionFormat {
  readonly bom: boolean;
  readonly eol: LineEnding;
}

export interface DecodedCaption {
  /** The caption with '\n' line breaks. */
  readonly text: string;
  readonly format: CaptionFormat;
}

export const DEFAULT_FORMAT: CaptionFormat = { bom: false, eol: '\n' };

const UTF8_BOM = [0xef, 0xbb, 0xbf];

export class CaptionEncodingError extends Error {
  constructor(readonly file: string, detail: string) {
    super(`${file} is not UTF-8 text (${detail}); it was left unchanged. Convert it to UTF-8 to edit it here.`);
    this.name = 'CaptionEncodingError';
  }
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes caption bytes; throws CaptionEncodingError for anything that is not UTF-8. */
export function decodeCaption(bytes: Uint8Array, file = 'caption file'): DecodedCaption {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    throw new CaptionEncodingError(file, 'UTF-16 byte order mark');
  }
  const bom = UTF8_BOM.every((b, i) => bytes[i] === b);
  const body = bom ? bytes.subarray(3) : bytes;
  let raw: string;
  try {
    raw = strictDecoder.decode(body);
  } catch {
    const offset = firstInvalidUtf8(body);
    throw new CaptionEncodingError(file, `byte 0x${body[offset]?.toString(16).padStart(2, '0')} at offset ${offset + (bom ? 3 : 0)}`);
  }
  if (raw.includes('\0')) throw new CaptionEncodingError(file, 'contains NUL bytes, looks binary');
  const crlf = raw.indexOf('\r\n');
  const lf = raw.indexOf('\n');
  const eol: LineEnding = crlf >= 0 && crlf < lf ? '\r\n' : '\n';
  return { text: raw.replace(/\r\n/g, '\n'), format: { bom, eol } };
}

/** Encodes text ('\n' or '\r\n' breaks) in the given format. */
export function encodeCaption(text: string, format: CaptionFormat): Buffer {
  const normalized = text.replace(/\r\n/g, '\n');
  const body = Buffer.from(format.eol === '\r\n' ? normalized.replace(/\n/g, '\r\n') : normalized, 'utf8');
  return format.bom ? Buffer.concat([Buffer.from(UTF8_BOM), body]) : body;
}

/** Index of the first byte that breaks UTF-8, for a message the user can act on. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const need = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (need < 0) return i;
    // The second byte's range is narrower after E0 (overlong), ED (surrogates), F0 (overlong) and F4 (> U+10FFFF).
    const [lo, hi] = b === 0xe0 ? [0xa0, 0xbf] : b === 0xed ? [0x80, 0x9f] : b === 0xf0 ? [0x90, 0xbf] : b === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (k === 1 ? c < lo || c > hi : (c & 0xc0) !== 0x80)) return i;
    }
    i += need + 1;
  }
  return Math.max(0, bytes.length - 1);
}
