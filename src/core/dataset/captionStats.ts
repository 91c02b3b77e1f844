/** Length figures shown beside a caption: characters, words and an estimate of CLIP tokens. */
export interface CaptionStats {
  readonly characters: number;
  readonly words: number;
  /** Estimated CLIP BPE tokens (without start/end tokens); CLIP's limit is 75. */
  readonly clipTokens: number;
}

export const CLIP_TOKEN_LIMIT = 75;

/**
 * CLIP's tokenizer splits off digits and punctuation; common words of up to ~6 letters are one
 * token and longer ones split into pieces of about 6 letters. An estimate, not the tokenizer.
 * ASCII text takes a byte scan (the pattern costs ~4 µs a caption, too slow for `tokens>75` over
 * 100,000 captions); other text takes the pattern, which defines the figures (a test checks both).
 */
export function captionStats(text: string): CaptionStats {
  const bytes = asciiBytes(text);
  return bytes ? asciiStats(text, bytes) : captionStatsByPattern(text);
}

/** `captionStats(text).characters`, without the token estimate. */
export function captionCharacters(text: string): number {
  return asciiBytes(text) ? text.length : [...text].length;
}

/** The definition of the figures, for any text. */
export function captionStatsByPattern(text: string): CaptionStats {
  const pieces = text.toLowerCase().match(/[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]/gu) ?? [];
  let clipTokens = 0;
  for (const piece of pieces) clipTokens += /^\p{L}/u.test(piece) ? Math.max(1, Math.ceil(piece.length / 6)) : 1;
  const words = text.trim() ? text.trim().split(/\s+/u).length : 0;
  return { characters: [...text].length, words, clipTokens };
}

const SPACE = 1;
const LETTER = 2;
const OTHER = 3;
/** Character class of each ASCII code, as the pattern sees it: `\s`, `\p{L}`, or a one-token mark. */
const CLASS = new Uint8Array(128).map((_, code) =>
  code === 32 || (code >= 9 && code <= 13) ? SPACE : /[a-z]/i.test(String.fromCharCode(code)) ? LETTER : OTHER,
);
const encoder = new TextEncoder();
let scratch = new Uint8Array(4096);

/**
 * UTF-8 bytes of `text` in a shared buffer when it is all ASCII (one byte per character), else
 * undefined: one native copy, fast whatever V8's internal string representation.
 */
function asciiBytes(text: string): Uint8Array | undefined {
  if (scratch.length < text.length * 3) scratch = new Uint8Array(text.length * 3);
  return encoder.encodeInto(text, scratch).written === text.length ? scratch : undefined;
}

function asciiStats(text: string, bytes: Uint8Array): CaptionStats {
  let words = 0;
  let clipTokens = 0;
  let letters = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const kind = CLASS[bytes[i]];
    if (kind === LETTER) {
      letters++;
    } else {
      // A run of letters is one token per ~6 letters; every digit or punctuation mark is one token.
      if (letters) clipTokens += Math.ceil(letters / 6);
      letters = 0;
      if (kind === OTHER) clipTokens++;
    }
    if (kind === SPACE) inWord = false;
    else if (!inWord) {
      words++;
      inWord = true;
    }
  }
  if (letters) clipTokens += Math.ceil(letters / 6);
  return { characters: text.length, words, clipTokens };
}
