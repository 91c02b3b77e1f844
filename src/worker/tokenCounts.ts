/**
 * The token-budget lint's counts with a model's own tokenizer (CLIP's BPE): only tokenizer files
 * already on this machine are read (nothing is downloaded for a lint), one loaded copy per model id.
 */
import * as transformers from '@huggingface/transformers';
import { budgetCut, type TokenCounter } from '../core/lint/tokenBudget';
import type { CountTokensReply } from './protocol';
import { messageOf, workerError } from './workerErrors';

type Tokenizer = Awaited<ReturnType<typeof transformers.AutoTokenizer.from_pretrained>>;

export class TokenCounts {
  private readonly tokenizers = new Map<string, Promise<Tokenizer>>();

  /** The model's tokenizer from local files; `model-missing` when they are not here. */
  tokenizer(id: string): Promise<Tokenizer> {
    let pending = this.tokenizers.get(id);
    if (!pending) {
      pending = transformers.AutoTokenizer.from_pretrained(id, { local_files_only: true }).catch((error: unknown) => {
        this.tokenizers.delete(id);
        throw workerError('model-missing', `The tokenizer of ${id} is not on this machine: ${messageOf(error)}`);
      });
      this.tokenizers.set(id, pending);
    }
    return pending;
  }

  /** Forgets a model's tokenizer (its files were deleted). */
  forget(id: string): void {
    this.tokenizers.delete(id);
  }
}

/** A counter over a loaded tokenizer: tokens of the text alone, without the start and end tokens. */
export function tokenizerCounter(tokenizer: Tokenizer): TokenCounter {
  return { exact: true, count: (text) => tokenizer.encode(text, { add_special_tokens: false }).length };
}

/** Each text's count, and where the budget rule cuts it when it is over `maxTokens` (-1 when it is not). */
export function countTexts(counter: TokenCounter, texts: readonly string[], maxTokens: number): CountTokensReply {
  const counts: number[] = [];
  const cuts: number[] = [];
  for (const text of texts) {
    const count = counter.count(text);
    counts.push(count);
    cuts.push(count > maxTokens ? budgetCut(text, maxTokens, counter) : -1);
  }
  return { counts, cuts };
}
