/**
 * Many strings as one UTF-8 byte array and the end offset of each: a webview message carries
 * typed arrays as raw bytes, while an array of 100,000 captions would be turned into JSON on the
 * extension host's thread in one go (24-83 ms measured). Packing runs in slices between event-loop
 * turns; unpacking happens in the webview. Browser-safe.
 */

export interface PackedTexts {
  readonly bytes: Uint8Array;
  /** Byte offset just past text i. */
  readonly ends: Uint32Array;
}

/** Texts encoded per slice before the packer lets other work run. */
const SLICE = 5000;

/** Packs `texts`, yielding to the event loop between slices of SLICE texts. */
export async function packTexts(texts: readonly string[]): Promise<PackedTexts> {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  const ends = new Uint32Array(texts.length);
  let total = 0;
  for (let start = 0; start < texts.length; start += SLICE) {
    if (start > 0) await new Promise<void>((resolve) => setTimeout(resolve, 0));
    const end = Math.min(texts.length, start + SLICE);
    const slice = texts.slice(start, end);
    const bytes = encoder.encode(slice.join(''));
    // One encode per slice; each text's length in bytes places its end.
    let at = total;
    for (let i = 0; i < slice.length; i++) {
      at += utf8Length(slice[i]);
      ends[start + i] = at;
    }
    parts.push(bytes);
    total += bytes.length;
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return { bytes, ends };
}

/** The texts of a packed array. */
export function unpackTexts(packed: PackedTexts): string[] {
  const decoder = new TextDecoder();
  const out = new Array<string>(packed.ends.length);
  let start = 0;
  for (let i = 0; i < packed.ends.length; i++) {
    const end = packed.ends[i];
    out[i] = decoder.decode(packed.bytes.subarray(start, end));
    start = end;
  }
  return out;
}

/** Bytes of `text` in UTF-8 (a lone surrogate becomes U+FFFD: 3 bytes, as TextEncoder writes it). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
