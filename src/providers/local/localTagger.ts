/**
 * Tagging with WD taggers through the worker, for both front ends. Images go by path (the worker reads
 * and preprocesses them once); concurrent requests for one model and one set of options are gathered
 * into batched `worker/tag` requests, two in flight, like local captioning.
 */
import type { ScoredTag, TagOptions } from '../../core/tagging/tagSelection';
import type { TagParams, TagReply } from '../../worker/protocol';
import { ModelEntry, ProviderError } from '../types';
import { GatheringQueue, whenAllAborted } from './gatheringQueue';
import { modelRef, toProviderError } from './localProvider';
import type { RequestOptions } from './workerClient';

/** Sends one tag request to the worker (the front end adds trust checks and download progress). */
export type LocalTagRunner = (params: Omit<TagParams, 'ticket'>, options: RequestOptions & { readonly model: ModelEntry }) => Promise<TagReply>;

/** True for a WD tagger entry: it answers with booru tags, never with prose. */
export function isTagger(model: Pick<ModelEntry, 'provider' | 'local'> | undefined): boolean {
  return model?.provider === 'local' && model.local?.task === 'wd-tagger';
}

/** One image to tag and how. */
export interface TagRequest {
  /** An image inside the dataset boundary (the caller checked it). */
  readonly imagePath: string;
  readonly model: ModelEntry;
  readonly options: TagOptions;
  /** Images per worker request. */
  readonly batchSize: number;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

export class LocalTagger {
  private readonly queue: GatheringQueue<TagRequest, ScoredTag[]>;

  constructor(
    private readonly run: LocalTagRunner,
    /** Told once per model when its selected_tags.csv had rows that were left out. */
    private readonly onLabelProblems: (model: ModelEntry, problems: readonly string[]) => void = () => undefined,
  ) {
    this.queue = new GatheringQueue<TagRequest, ScoredTag[]>((group) => this.send(group), () => new ProviderError('cancelled', 'Cancelled'));
  }

  private readonly labelProblemsTold = new Set<string>();

  /** The tags of one image in written order; rejects with a ProviderError naming the image's own problem. */
  tag(request: TagRequest): Promise<ScoredTag[]> {
    if (!isTagger(request.model)) return Promise.reject(new ProviderError('bad-request', `${request.model.label} is not a WD tagger (its entry needs "local": { "task": "wd-tagger" }).`));
    const ref = modelRef(request.model);
    // only requests with the same model and options can share a worker request
    const key = JSON.stringify([ref.id, ref.dtype ?? '', request.options]);
    return this.queue.submit(key, request, request.batchSize, request.signal);
  }

  private async send(requests: readonly TagRequest[]): Promise<Array<ScoredTag[] | ProviderError>> {
    const first = requests[0];
    const cancel = whenAllAborted(requests.map((r) => r.signal));
    let reply: TagReply;
    try {
      reply = await this.run(
        { model: modelRef(first.model), images: requests.map((r) => ({ path: r.imagePath })), options: first.options },
        { model: first.model, signal: cancel.signal, timeoutMs: first.timeoutMs },
      );
    } catch (error) {
      throw toProviderError(first.model, error);
    } finally {
      cancel.dispose();
    }
    if (reply.labelProblems?.length && !this.labelProblemsTold.has(first.model.id)) {
      this.labelProblemsTold.add(first.model.id);
      this.onLabelProblems(first.model, reply.labelProblems);
    }
    return requests.map((_, i) => {
      const item = reply.items[i];
      if (!item) return new ProviderError('bad-response', `${first.model.label}: the worker answered ${reply.items.length} of ${requests.length} images.`);
      return item.ok ? [...item.value] : new ProviderError('bad-request', item.error);
    });
  }
}
