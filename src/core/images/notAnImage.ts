/**
 * Names what a file is when its bytes are not an image, for the message a user reads instead of a
 * parser's "unsupported file type". Datasets collect HTML error pages saved as .jpg, Git LFS
 * pointers never fetched, archives and half-written downloads; each gets its own words.
 */

/** How many leading bytes the sniffing looks at (the tar signature lies at 257). */
export const SNIFF_BYTES = 1024;

/** How much of a text file's start a message quotes, so the user recognises it. */
const QUOTED_CHARS = 40;

interface Signature {
  readonly at: number;
  readonly bytes: string;
}

/** Signatures of the image formats the header reader knows: such a file is a damaged image, not another kind of file. */
const IMAGE_SIGNATURES: readonly Signature[] = [
  { at: 0, bytes: '\xff\xd8\xff' }, // JPEG
  { at: 0, bytes: '\x89PNG\r\n\x1a\n' },
  { at: 0, bytes: 'GIF87a' },
  { at: 0, bytes: 'GIF89a' },
  { at: 0, bytes: 'BM' },
  { at: 0, bytes: 'II*\x00' }, // TIFF, little-endian
  { at: 0, bytes: 'MM\x00*' }, // TIFF, big-endian
  { at: 8, bytes: 'WEBP' },
  { at: 0, bytes: '\x00\x00\x01\x00' }, // ICO
  { at: 0, bytes: '\x00\x00\x02\x00' }, // CUR
  { at: 0, bytes: '8BPS' }, // Photoshop
  { at: 0, bytes: '\xff\x0a' }, // JPEG XL codestream
  { at: 4, bytes: 'JXL ' },
  { at: 4, bytes: 'jP  ' }, // JPEG 2000
  { at: 0, bytes: 'icns' },
  { at: 0, bytes: 'DDS ' },
  { at: 0, bytes: '\xabKTX' },
];

/** ISO base media brands of still images (AVIF, HEIF); any other brand is a video. */
const IMAGE_BRANDS = new Set(['avif', 'avis', 'heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs', 'mif1', 'msf1']);

const OTHER_SIGNATURES: readonly (Signature & { readonly what: string })[] = [
  { at: 0, bytes: '%PDF', what: 'it is a PDF document' },
  { at: 0, bytes: 'PK\x03\x04', what: 'it is a zip archive (or a zip-based document)' },
  { at: 0, bytes: 'PK\x05\x06', what: 'it is an empty zip archive' },
  { at: 0, bytes: '\x1f\x8b', what: 'it is a gzip-compressed file' },
  { at: 0, bytes: 'BZh', what: 'it is a bzip2-compressed file' },
  { at: 0, bytes: '\xfd7zXZ\x00', what: 'it is an xz-compressed file' },
  { at: 0, bytes: '\x28\xb5\x2f\xfd', what: 'it is a zstd-compressed file' },
  { at: 0, bytes: '7z\xbc\xaf\x27\x1c', what: 'it is a 7-Zip archive' },
  { at: 0, bytes: 'Rar!', what: 'it is a RAR archive' },
  { at: 257, bytes: 'ustar', what: 'it is a tar archive' },
  { at: 0, bytes: '\x93NUMPY', what: 'it is a NumPy array (.npy)' },
  { at: 0, bytes: 'SQLite format 3\x00', what: 'it is an SQLite database' },
  { at: 0, bytes: '\x7fELF', what: 'it is a program (ELF executable)' },
  { at: 0, bytes: 'MZ', what: 'it is a Windows program' },
  { at: 8, bytes: 'AVI ', what: 'it is an AVI video' },
  { at: 8, bytes: 'WAVE', what: 'it is a WAV audio file' },
  { at: 0, bytes: 'ID3', what: 'it is an MP3 audio file' },
  { at: 0, bytes: 'OggS', what: 'it is an Ogg audio or video file' },
  { at: 0, bytes: 'fLaC', what: 'it is a FLAC audio file' },
  { at: 0, bytes: '\x1a\x45\xdf\xa3', what: 'it is a Matroska or WebM video' },
];

/**
 * What the file's first bytes show it to be when they are not the start of an image: "the file is
 * empty", "the file starts with text ("404 Not Found…")", "it is an HTML page", "it is a PDF
 * document", … Undefined when they begin like an image (a damaged one: its parser says what is wrong).
 */
export function notAnImageReason(head: Uint8Array): string | undefined {
  if (head.length === 0) return 'the file is empty (0 bytes)';
  const bytes = head.subarray(0, SNIFF_BYTES);
  if (IMAGE_SIGNATURES.some((s) => matches(bytes, s))) return undefined;
  const brand = matches(bytes, { at: 4, bytes: 'ftyp' }) ? latin1(bytes, 8, 12) : undefined;
  if (brand !== undefined) return IMAGE_BRANDS.has(brand) ? undefined : `it is a video (MP4/QuickTime, brand "${brand.trim()}")`;
  const other = OTHER_SIGNATURES.find((s) => matches(bytes, s));
  if (other) return other.what;
  const text = textStart(bytes);
  if (text !== undefined) return describeText(text);
  if (bytes.every((b) => b === 0)) return `its first ${bytes.length.toLocaleString('en-US')} bytes are all zero (an unfinished download or a damaged copy)`;
  const hex = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `the file starts with the bytes ${hex}, which begin no image format`;
}

function matches(bytes: Uint8Array, signature: Signature): boolean {
  const { at, bytes: expected } = signature;
  if (bytes.length < at + expected.length) return false;
  for (let i = 0; i < expected.length; i++) if (bytes[at + i] !== expected.charCodeAt(i)) return false;
  return true;
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

/** The bytes as text when they are UTF-8 (or UTF-16 with a byte order mark) without control characters; else undefined. */
function textStart(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : undefined;
    // stream: a character cut at the end of the head is not an error.
    text = new TextDecoder(utf16 ?? 'utf-8', { fatal: true }).decode(bytes, { stream: true });
  } catch {
    return undefined;
  }
  return /[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]/.test(text) ? undefined : text.replace(/^\uFEFF/, '');
}

function describeText(text: string): string {
  const start = text.trimStart();
  if (start.startsWith('version https://git-lfs')) return 'it is a Git LFS pointer, not the image: the image itself was never fetched (git lfs pull)';
  if (/^(<!--[\s\S]*?-->\s*)*<(!doctype\s+html|html|head|body)\b/i.test(start)) return 'it is an HTML page (a web page saved in place of the image?)';
  if (/^<\?xml|^<svg\b/i.test(start)) return /<svg\b/i.test(start) ? 'it is an SVG drawing without a size that can be read' : 'it is an XML document';
  if (/^[{[]/.test(start)) return 'it is JSON text';
  const line = start.replace(/\s+/g, ' ').trimEnd();
  if (!line) return 'the file holds only white space';
  return `the file starts with text (${JSON.stringify(line.length > QUOTED_CHARS ? `${line.slice(0, QUOTED_CHARS)}…` : line)})`;
}
