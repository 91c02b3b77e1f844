/** N-grams (n = 1..4) of tokenized sentences as dense integer ids, counted per sentence. */
import { MetricInputError, ScoredItem } from './metricTypes';

/** BLEU-4 and CIDEr-D both look at n-grams up to this length. */
export const MAX_ORDER = 4;

// An n-gram's key is its prefix's id times TOKEN_SPACE plus its last token's id: exact below 2^53.
const TOKEN_SPACE = 2 ** 21;
const MAX_NGRAM_ID = 2 ** 32;

/** The distinct n-grams of one order in a sentence, with how often each occurs. */
export interface OrderCounts {
  readonly ids: Int32Array;
  readonly counts: Int32Array;
}

/** A sentence's length in tokens and its n-gram counts, `orders[n - 1]` for n-grams of length n. */
export interface SentenceNgrams {
  readonly length: number;
  readonly orders: readonly OrderCounts[];
}

/** An item's candidate and references as n-gram counts. */
export interface CountedItem {
  readonly candidate: SentenceNgrams;
  readonly references: readonly SentenceNgrams[];
}

/**
 * Gives every distinct n-gram an id from 1 up, so the metrics can keep per-n-gram values in typed arrays
 * instead of string-keyed maps (the tokens of an n-gram are never joined into a string).
 */
export class NgramIndex {
  private readonly tokenIds = new Map<string, number>();
  private readonly extensions = new Map<number, number>();
  private nextId = 1;

  /** One more than the largest id handed out: the length a per-id array needs. */
  get size(): number {
    return this.nextId;
  }

  /** The sentence's n-grams of length 1..maxOrder, counted. */
  count(tokens: readonly string[], maxOrder = MAX_ORDER): SentenceNgrams {
    const tokenIds = tokens.map((t) => this.tokenId(t));
    const orders: OrderCounts[] = [];
    let prefixes = new Float64Array(tokenIds.length); // ids of the (n-1)-grams starting at each position; 0 is the empty prefix
    for (let n = 1; n <= maxOrder; n++) {
      const total = Math.max(0, tokenIds.length - n + 1);
      const ids = new Int32Array(total);
      const next = new Float64Array(total);
      for (let i = 0; i < total; i++) {
        const id = this.extend(prefixes[i], tokenIds[i + n - 1]);
        ids[i] = id;
        next[i] = id;
      }
      orders.push(runLengths(ids));
      prefixes = next;
    }
    return { length: tokens.length, orders };
  }

  private tokenId(token: string): number {
    let id = this.tokenIds.get(token);
    if (id === undefined) {
      id = this.tokenIds.size;
      if (id >= TOKEN_SPACE) throw new MetricInputError(`More than ${TOKEN_SPACE} distinct words in one evaluation: split the set.`);
      this.tokenIds.set(token, id);
    }
    return id;
  }

  private extend(prefix: number, token: number): number {
    const key = prefix * TOKEN_SPACE + token;
    let id = this.extensions.get(key);
    if (id === undefined) {
      id = this.nextId++;
      if (id >= MAX_NGRAM_ID) throw new MetricInputError('Too many distinct n-grams in one evaluation: split the set.');
      this.extensions.set(key, id);
    }
    return id;
  }
}

/** Distinct ids (sorted) and how often each occurs. */
function runLengths(ids: Int32Array): OrderCounts {
  const sorted = ids.slice().sort();
  let distinct = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  const unique = new Int32Array(distinct);
  const counts = new Int32Array(distinct);
  let k = -1;
  for (let i = 0; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) unique[++k] = sorted[i];
    counts[k]++;
  }
  return { ids: unique, counts };
}

/** Every item's candidate and references counted with one index; `size` bounds the ids. */
export function countItems(items: readonly ScoredItem[]): { counted: CountedItem[]; size: number } {
  const index = new NgramIndex();
  const counted = items.map((item) => ({
    candidate: index.count(item.candidate),
    references: item.references.map((r) => index.count(r)),
  }));
  return { counted, size: index.size };
}
