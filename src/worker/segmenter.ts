/**
 * Click-to-segment with SAM / SAM 2 (transformers.js): the image embedding is computed once per
 * image (path + size + mtime) and kept in a small LRU, so a further click runs only the prompt
 * encoder and mask decoder; the best of the multimask outputs (by predicted IoU) becomes a
 * binary mask at the size the image was decoded at.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Tensor, type RawImage } from '@huggingface/transformers';
import type { SegmentPrompt } from '../core/regions/segmentTypes';
import { loadImage, UnreadableImageError } from './images';
import { LruPromises } from './lruPromises';
import type { LoadedModel } from './modelLoader';
import { bestIndex, maskRunsFromLogits, type MaskRuns } from './samMasks';

type SamModel = Extract<LoadedModel, { task: 'sam' }>;

/** Images whose embeddings are kept: a SlimSAM embedding is ~8 MB, a SAM 2 one ~16 MB. */
export const EMBEDDINGS_KEPT = 4;

interface ImageEmbedding {
  /** What get_image_embeddings returned (SAM: image_embeddings + image_positional_embeddings; SAM 2: image_embeddings.0..2). */
  readonly embeddings: Record<string, Tensor>;
  /** The decoded image: [height, width]. */
  readonly original: [number, number];
  /** The image as resized into the model's input frame: [height, width]. */
  readonly reshaped: [number, number];
}

export interface Segmentation {
  /** The chosen mask at the decoded image's size, as COCO runs with its box. */
  readonly mask: MaskRuns;
  readonly score: number;
  readonly embeddingCached: boolean;
}

export class Segmenter {
  private readonly embeddings = new LruPromises<ImageEmbedding>(EMBEDDINGS_KEPT);

  /**
   * The mask for a prompt on an image file. `isCancelled` is checked between the embedding and the
   * decoder (the embedding is still cached: the next click on the image needs it).
   */
  async segment(loaded: SamModel, modelKey: string, path: string, prompt: SegmentPrompt, isCancelled: () => boolean): Promise<Segmentation> {
    const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
      throw new UnreadableImageError(basename(path), error.code === 'ENOENT' ? 'the file does not exist' : error.message);
    });
    const key = `${modelKey}\n${path}\n${info.size}\n${info.mtimeMs}`;
    const embeddingCached = this.embeddings.has(key);
    const image = await this.embeddings.get(key, () => this.embed(loaded, path));
    if (isCancelled()) throw new SegmentCancelled();
    const mask = await this.decode(loaded, image, prompt);
    return { ...mask, embeddingCached };
  }

  /** Forgets the embeddings of the models whose key starts with `prefix` (a model that was deleted). */
  forget(prefix: string): void {
    this.embeddings.forget(prefix);
  }

  private async embed(loaded: SamModel, path: string): Promise<ImageEmbedding> {
    const longest = longestSide(loaded);
    const image: RawImage = await loadImage({ path }, { longestSide: longest });
    const inputs = (await loaded.processor(image)) as { pixel_values: Tensor; original_sizes: [number, number][]; reshaped_input_sizes: [number, number][] };
    const model = loaded.model as unknown as { get_image_embeddings(inputs: { pixel_values: Tensor }): Promise<Record<string, Tensor>> };
    const embeddings = await model.get_image_embeddings({ pixel_values: inputs.pixel_values });
    return { embeddings, original: inputs.original_sizes[0], reshaped: inputs.reshaped_input_sizes[0] };
  }

  private async decode(loaded: SamModel, image: ImageEmbedding, prompt: SegmentPrompt): Promise<{ mask: MaskRuns; score: number }> {
    const [reshapedH, reshapedW] = image.reshaped;
    const decoderInputs: readonly string[] = (loaded.model as unknown as { sessions: Record<string, { inputNames: string[] }> }).sessions.prompt_encoder_mask_decoder.inputNames;
    const takesBoxes = decoderInputs.includes('input_boxes');
    const points = prompt.points.map((p) => ({ x: p.x, y: p.y, label: p.positive ? 1 : 0 }));
    const box = prompt.box;
    // SAM exports without a box input (SlimSAM, Xenova's SAM) get the box's centre as the object's point,
    // and every box bounds its mask below; SAM's forward also needs at least one point.
    const modelType = (loaded.model as unknown as { config: { model_type?: string } }).config.model_type;
    if (box && !points.some((p) => p.label === 1) && (!takesBoxes || modelType === 'sam')) {
      points.push({ x: box[0] + box[2] / 2, y: box[1] + box[3] / 2, label: 1 });
    }
    const inputs: Record<string, Tensor> = { ...image.embeddings };
    if (points.length) {
      inputs.input_points = new Tensor('float32', Float32Array.from(points.flatMap((p) => [p.x * reshapedW, p.y * reshapedH])), [1, 1, points.length, 2]);
      inputs.input_labels = new Tensor('int64', BigInt64Array.from(points.map((p) => BigInt(p.label))), [1, 1, points.length]);
    }
    if (box && takesBoxes) {
      const corners = [box[0] * reshapedW, box[1] * reshapedH, (box[0] + box[2]) * reshapedW, (box[1] + box[3]) * reshapedH];
      inputs.input_boxes = new Tensor('float32', Float32Array.from(corners), [1, 1, 4]);
    }
    const { iou_scores, pred_masks } = (await loaded.model(inputs)) as { iou_scores: Tensor; pred_masks: Tensor };
    const dims = pred_masks.dims; // [batch, point batch, masks, height, width]
    const [count, lowH, lowW] = dims.slice(-3);
    const scores = iou_scores.data as Float32Array;
    const best = bestIndex(scores, 0, count);
    const frame = { lowRes: [lowH, lowW], padded: paddedFrame(loaded, image.reshaped), reshaped: image.reshaped, output: image.original } as const;
    return { mask: maskRunsFromLogits(pred_masks.data as Float32Array, best * lowH * lowW, frame, box), score: scores[best] };
  }
}

/** A request cancelled after its embedding was made (the embedding stays cached). */
export class SegmentCancelled extends Error {
  constructor() {
    super('Cancelled');
  }
}

interface SamImageProcessorConfig {
  readonly size?: { readonly longest_edge?: number; readonly height?: number; readonly width?: number };
  readonly pad_size?: { readonly height: number; readonly width: number };
}

function imageProcessor(loaded: SamModel): SamImageProcessorConfig {
  return ((loaded.processor as unknown as { image_processor?: SamImageProcessorConfig }).image_processor ?? {}) as SamImageProcessorConfig;
}

/** The longer side the model resizes to (SAM: 1024): the image is decoded no larger. */
function longestSide(loaded: SamModel): number | undefined {
  const { size } = imageProcessor(loaded);
  return size?.longest_edge ?? (size?.height && size?.width ? Math.max(size.height, size.width) : undefined);
}

/** The frame the low-res logits cover: the padding size, else the input size (SAM 2 resizes without padding). */
function paddedFrame(loaded: SamModel, reshaped: readonly [number, number]): [number, number] {
  const { pad_size: pad, size } = imageProcessor(loaded);
  if (pad) return [pad.height, pad.width];
  if (size?.height && size?.width) return [size.height, size.width];
  return [reshaped[0], reshaped[1]];
}
