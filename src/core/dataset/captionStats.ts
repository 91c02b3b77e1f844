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
 */
export function captionStats(text: string): CaptionStats {
  const pieces = text.toLowerCase().match(/[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]/gu) ?? [];
  let clipTokens = 0;
  for (const piece of pieces) clipTokens += /^\p{L}/u.test(piece) ? Math.max(1, Math.ceil(piece.length / 6)) : 1;
  const words = text.trim() ? text.trim().split(/\s+/u).length : 0;
  return { characters: [...text].length, words, clipTokens };
}
