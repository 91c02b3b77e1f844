/**
 * Click-to-segment on the extension host: a prompt (points and/or a box, 0..1) on an image becomes
 * a mask from the SAM model of `imageCaptioner.segmentation.model`, computed by the local-model
 * worker (which keeps the image's embedding, so further clicks are quick). Imports no `vscode`:
 * the backend is LocalModelService (trust, downloads) in the extension, a WorkerClient in tests.
 */
import { segmentPromptProblem, type SegmentPrompt, type SegmentResult } from '../core/regions/segmentTypes';
import { LocalWorkerError } from '../providers/local/workerClient';
import type { ModelRef, SegmentParams, SegmentReply } from '../worker/protocol';

/** The segmentation model when the setting names none: SlimSAM (~40 MB at fp32), fast on a CPU. */
export const DEFAULT_SEGMENTATION_MODEL = 'Xenova/slimsam-77-uniform';

/** What the service needs from the worker side. */
export interface SegmentationBackend {
  /** The configured SAM model (read at every request, so a changed setting applies to the next click). */
  model(): ModelRef;
  segment(params: Omit<SegmentParams, 'ticket'>, signal?: AbortSignal): Promise<SegmentReply>;
}

export class SegmentationService {
  constructor(private readonly backend: SegmentationBackend) {}

  /**
   * The mask for a prompt on an image file. Rejects with a LocalWorkerError: `bad-input` for a
   * prompt or image that cannot be segmented (the message says why), `model-missing`, `cancelled`
   * when `signal` aborts, `failed` otherwise.
   */
  async segment(imagePath: string, prompt: SegmentPrompt, signal?: AbortSignal): Promise<SegmentResult> {
    const problem = segmentPromptProblem(prompt);
    if (problem) throw new LocalWorkerError('bad-input', `Cannot segment: ${problem}.`);
    const model = this.backend.model();
    const points = prompt.points.map((p) => ({ x: p.x, y: p.y, positive: p.positive }));
    const reply = await this.backend.segment({ model, image: { path: imagePath }, points, box: prompt.box }, signal);
    return { rle: { size: [reply.rle.size[0], reply.rle.size[1]], counts: reply.rle.counts }, bbox: reply.bbox, score: reply.score, model: model.id, millis: reply.millis };
  }
}
