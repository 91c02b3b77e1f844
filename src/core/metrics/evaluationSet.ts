/**
 * Pairs a model's candidates with the references of an evaluation set and counts what cannot be scored,
 * so that a report says how many images each number stands on instead of scoring a gap as 0 unnoticed.
 */
import { ScoredItem } from './metricTypes';

/** What pairing found: the items to score and each kind of bad input, by image id. */
export interface EvaluationSet {
  /** Images with a candidate and at least one non-empty reference, in the order of the references. */
  readonly items: ScoredItem[];
  /** Images with references but no candidate (the model failed on them or was not run): not scored. */
  readonly missingCandidates: string[];
  /** Candidates for images with no references, or only empty ones: not scored. */
  readonly unreferencedCandidates: string[];
  /** Scored images whose candidate has no tokens: every metric gives them 0 (a model that answers nothing earns nothing). */
  readonly emptyCandidates: string[];
  /** Reference captions with no tokens, left out of their image's references. */
  readonly emptyReferences: number;
}

/**
 * Pairs candidates and references by image id, tokenizing both with `tokenize`. Never throws on bad input;
 * `items` may be empty (the metrics then refuse with a MetricInputError that says so).
 */
export function pairEvaluationSet(
  candidates: ReadonlyMap<string, string>,
  references: ReadonlyMap<string, readonly string[]>,
  tokenize: (text: string) => string[],
): EvaluationSet {
  const items: ScoredItem[] = [];
  const missingCandidates: string[] = [];
  const unreferencedCandidates: string[] = [];
  const emptyCandidates: string[] = [];
  let emptyReferences = 0;
  const referenced = new Set<string>();
  for (const [id, texts] of references) {
    const tokenized = texts.map(tokenize).filter((tokens) => tokens.length > 0);
    emptyReferences += texts.length - tokenized.length;
    if (tokenized.length === 0) continue;
    referenced.add(id);
    const candidate = candidates.get(id);
    if (candidate === undefined) {
      missingCandidates.push(id);
      continue;
    }
    const tokens = tokenize(candidate);
    if (tokens.length === 0) emptyCandidates.push(id);
    items.push({ id, candidate: tokens, references: tokenized });
  }
  for (const id of candidates.keys()) if (!referenced.has(id)) unreferencedCandidates.push(id);
  return { items, missingCandidates, unreferencedCandidates, emptyCandidates, emptyReferences };
}
