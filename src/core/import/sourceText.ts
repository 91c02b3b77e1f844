/** Decoding a caption-set file: strict UTF-8, as caption files are, with the bad byte located. */

import { readRegularFile } from '../files/regularFile';
import { ImportParseError } from './importTypes';

/** Largest caption-set file imported (COCO's 2017 captions are ~90 MB): a bigger one is refused, not loaded. */
export const MAX_IMPORT_BYTES = 256 * 1024 * 1024;

/** The bytes of a caption-set file: a regular file of at most MAX_IMPORT_BYTES, or an error that says why not. */
export async function readImportSource(file: string): Promise<Buffer> {
  const bytes = await readRegularFile(file, MAX_IMPORT_BYTES);
  if (!bytes) throw new ImportParseError(file, 'does not exist');
  return bytes;
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const lenientDecoder = new TextDecoder('utf-8', { ignoreBOM: false });
const REPLACEMENT = '\uFFFD';

/** The file's text with '\n' line breaks and no BOM; throws ImportParseError for anything but UTF-8. */
export function decodeImportSource(bytes: Uint8Array, file: string): string {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    throw new ImportParseError(file, 'is UTF-16 (byte order mark found); save it as UTF-8 and import again');
  }
  let text: string;
  try {
    text = strictDecoder.decode(bytes);
  } catch {
    throw invalidByteError(bytes, file);
  }
  const nul = text.indexOf('\0');
  if (nul >= 0) throw new ImportParseError(file, 'contains NUL bytes and looks binary, not a caption file', lineAt(text, nul));
  return text.replace(/\r\n?/g, '\n');
}

/** Locates the first byte that is not UTF-8 through the lenient decoding's first real replacement character. */
function invalidByteError(bytes: Uint8Array, file: string): ImportParseError {
  const lenient = lenientDecoder.decode(bytes);
  const bomLength = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let at = lenient.indexOf(REPLACEMENT);
  while (at >= 0) {
    const offset = bomLength + Buffer.byteLength(lenient.slice(0, at), 'utf8');
    const isLiteral = bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd;
    if (!isLiteral) {
      const hex = bytes[offset]?.toString(16).padStart(2, '0') ?? '??';
      return new ImportParseError(
        file,
        `is not UTF-8 text (byte 0x${hex} at offset ${offset}); convert it to UTF-8 and import again`,
        lineAt(lenient, at),
      );
    }
    at = lenient.indexOf(REPLACEMENT, at + 1);
  }
  return new ImportParseError(file, 'is not UTF-8 text; convert it to UTF-8 and import again');
}

/** 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
