/** CLIP score of an image and its caption: 100 × max(cosine, 0), as in the seed's Kosmos+CLIP workflow. */
import { compareNames } from '../dataset/imageFiles';

export const DEFAULT_CLIP_THRESHOLD = 15;

export function clipScore(image: Float32Array, text: Float32Array): number {
  if (image.length !== text.length) throw new Error(`Vectors differ in size (${image.length} and ${text.length})`);
  let dot = 0;
  let imageNorm = 0;
  let textNorm = 0;
  for (let i = 0; i < image.length; i++) {
    dot += image[i] * text[i];
    imageNorm += image[i] * image[i];
    textNorm += text[i] * text[i];
  }
  const norms = Math.sqrt(imageNorm) * Math.sqrt(textNorm);
  return norms === 0 ? 0 : 100 * Math.max(dot / norms, 0);
}

interface ScoredPair {
  readonly imagePath: string;
  readonly captionPath: string;
}

/** One image/caption pair: its score, or why it could not be scored. */
export type ClipScoreResult = (ScoredPair & { readonly score: number }) | (ScoredPair & { readonly error: string });

export type ClipSortOrder = 'score' | 'name';

export function isScored(result: ClipScoreResult): result is ScoredPair & { readonly score: number } {
  return 'score' in result;
}

/** Below the threshold: a caption that may not describe its image. Errors are not flagged. */
export function isFlagged(result: ClipScoreResult, threshold: number): boolean {
  return isScored(result) && result.score < threshold;
}

/** Ascending score (errors first: they need a look too) or natural path order; ties by path. */
export function sortResults(results: readonly ClipScoreResult[], order: ClipSortOrder): ClipScoreResult[] {
  const byPath = (a: ClipScoreResult, b: ClipScoreResult): number => compareNames(a.imagePath, b.imagePath);
  if (order === 'name') return [...results].sort(byPath);
  const rank = (r: ClipScoreResult): number => (isScored(r) ? r.score : -Infinity);
  return [...results].sort((a, b) => rank(a) - rank(b) || byPath(a, b));
}

export interface ClipScoreSummary {
  readonly scored: number;
  readonly below: number;
  readonly errors: number;
}

export function summarize(results: readonly ClipScoreResult[], threshold: number): ClipScoreSummary {
  let scored = 0;
  let below = 0;
  for (const r of results) {
    if (!isScored(r)) continue;
    scored++;
    if (r.score < threshold) below++;
  }
  return { scored, below, errors: results.length - scored };
}

/** "23.4": scores are shown with one decimal. */
export function formatScore(score: number): string {
  return score.toFixed(1);
}
