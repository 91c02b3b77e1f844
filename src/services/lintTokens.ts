/**
 * Which token counter the token-budget lint uses: CLIP's own BPE tokenizer, run in the model worker,
 * when the CLIP model's tokenizer files are already on this machine and the folder is trusted (a
 * tokenizer.json carries its own regular expressions: a stranger's model runs nowhere untrusted);
 * the estimate otherwise, and messages say "(estimated)". No vscode: the extension passes its deps.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { ESTIMATED_TOKENS, measuredTokens, type TokenCounter } from '../core/lint/tokenBudget';
import type { CountTokensParams, CountTokensReply, ModelRef, WorkerSettings } from '../worker/protocol';

/** Texts per worker request: a 100,000-caption run is ~100 round trips, each a few ms of BPE. */
export const TOKEN_BATCH_SIZE = 1000;

export interface LintTokensDeps {
  readonly isTrusted: () => boolean;
  /** The CLIP model whose tokenizer counts (imageCaptioner.local.clipModel). */
  readonly clipModel: () => ModelRef;
  /** Where the worker looks for model files. */
  readonly settings: () => Pick<WorkerSettings, 'cacheDir' | 'localModelPath'>;
  readonly countTokens: (params: CountTokensParams, signal?: AbortSignal) => Promise<CountTokensReply>;
}

/** The counter a run got, and in words which one it is (and why not CLIP's when it is the estimate). */
export interface ChosenCounter {
  readonly counter: TokenCounter;
  readonly note: string;
}

/** The folder holding `id`'s tokenizer.json (an absolute folder, the models folder, or the download cache), or undefined. */
export function localModelFolder(id: string, settings: Pick<WorkerSettings, 'cacheDir' | 'localModelPath'>, file = 'tokenizer.json'): string | undefined {
  const folders = isAbsolute(id) ? [id] : [settings.localModelPath ? join(settings.localModelPath, id) : undefined, join(settings.cacheDir, id)];
  return folders.find((folder): folder is string => folder !== undefined && existsSync(join(folder, file)));
}

export class LintTokens {
  constructor(private readonly deps: LintTokensDeps) {}

  /** Why the estimate is used, or undefined when CLIP's tokenizer can count. */
  estimateReason(): string | undefined {
    const model = this.deps.clipModel();
    if (!model.id.trim()) return 'no CLIP model is set (imageCaptioner.local.clipModel)';
    if (!this.deps.isTrusted()) return 'the CLIP tokenizer is not run in an untrusted folder';
    if (!localModelFolder(model.id, this.deps.settings())) return `the tokenizer of ${model.id} is not on this machine (it comes with the model: compute a CLIP score once to download it)`;
    return undefined;
  }

  /**
   * A counter for exactly `texts` under `maxTokens`: counted by CLIP's tokenizer in the worker when
   * it can, else the estimate; a worker failure falls back to the estimate and says why.
   */
  async counter(texts: readonly string[], maxTokens: number, signal?: AbortSignal): Promise<ChosenCounter> {
    const why = this.estimateReason();
    if (why) return { counter: ESTIMATED_TOKENS, note: `Token counts are estimated: ${why}.` };
    const model = this.deps.clipModel();
    const unique = [...new Set(texts)];
    const counts: number[] = new Array(unique.length);
    const cuts: number[] = new Array(unique.length);
    try {
      // two requests in flight: the worker counts one while the next one's JSON is read
      let next = 0;
      const lane = async (): Promise<void> => {
        while (next < unique.length) {
          const start = next;
          next += TOKEN_BATCH_SIZE;
          const reply = await this.deps.countTokens({ model, texts: unique.slice(start, start + TOKEN_BATCH_SIZE), maxTokens }, signal);
          reply.counts.forEach((count, k) => {
            counts[start + k] = count;
            cuts[start + k] = reply.cuts[k];
          });
        }
      };
      await Promise.all([lane(), lane()]);
    } catch (err) {
      if (signal?.aborted) throw err;
      return { counter: ESTIMATED_TOKENS, note: `Token counts are estimated: counting with the tokenizer of ${model.id} failed (${(err as Error).message}).` };
    }
    return { counter: measuredTokens(unique, counts, cuts, maxTokens), note: `Token counts use the tokenizer of ${model.id}.` };
  }
}
