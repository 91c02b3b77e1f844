/** Shapes shared by the caption metrics (issue 13). */

/** One image to score: its candidate caption and its reference captions, each already tokenized. */
export interface ScoredItem {
  readonly id: string;
  readonly candidate: readonly string[];
  readonly references: readonly (readonly string[])[];
}

/** BLEU-1..4, in that order. */
export type Bleu1To4 = readonly [number, number, number, number];

/** Input the metrics cannot score (no images, an image without references); the message says what to fix. */
export class MetricInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetricInputError';
  }
}

/** Throws unless there is at least one item and every item has at least one reference (what all the metrics need). */
export function checkScorable(items: readonly ScoredItem[]): void {
  if (items.length === 0) throw new MetricInputError('No image has both a candidate and references: nothing to score.');
  for (const item of items) {
    if (item.references.length === 0) {
      throw new MetricInputError(`Image ${JSON.stringify(item.id)} has no reference captions: pair the set with pairEvaluationSet first.`);
    }
  }
}
