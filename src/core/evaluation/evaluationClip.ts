/**
 * CLIP scores of an evaluation's captions: each sampled image some model captioned is embedded once, each model's captions
 * once per model, and every (image, caption) pair scores 100 × cosine. One routine for the extension's
 * "Evaluate Models…" and the CLI's `eval --clip-score`; the embedder (the worker behind a disk cache)
 * is the caller's.
 */
import { clipScore } from '../embeddings/clipScore';
import type { ModelCaption } from './evaluationReport';

/** One embedding or why there is none (the shape EmbeddingService answers with). */
export type ClipVector = { readonly ok: true; readonly vector: Float32Array } | { readonly ok: false; readonly error: string };

/** The CLIP model's two towers, bound to one model and the dataset's boundary by the caller. */
export interface ClipEmbedder {
  /** One answer per image file, in order. */
  images(imagePaths: readonly string[]): Promise<readonly ClipVector[]>;
  /** One answer per text, in order. */
  texts(texts: readonly string[]): Promise<readonly ClipVector[]>;
}

/** What a report keeps of CLIP: the scores (model id → image path → score) and their model, or why there are none. */
export interface EvaluationClip {
  readonly scores?: Map<string, Map<string, number>>;
  readonly model?: string;
  readonly why?: string;
}

export interface EvaluationClipInput {
  readonly embedder: ClipEmbedder;
  /** The CLIP model's id, named in the report and in messages. */
  readonly clipModel: string;
  readonly modelIds: readonly string[];
  /** The sample: each image's id in the report and its file. */
  readonly images: readonly { readonly path: string; readonly imagePath: string }[];
  /** Model id → image path → what the model gave; only captions with text are scored. */
  readonly captions: ReadonlyMap<string, ReadonlyMap<string, ModelCaption>>;
  /** A line for the log (items that could not be embedded). */
  warn(line: string): void;
}

/** Scores every caption; a pair whose image or text cannot be embedded has no score, and when none can, `why` says so. Never throws. */
export async function evaluationClipScores(input: EvaluationClipInput): Promise<EvaluationClip> {
  const why = (message: string): EvaluationClip => ({ why: `The local CLIP model ${input.clipModel} could not score the captions: ${message}` });
  try {
    // only images some model captioned are embedded: when every request failed, the CLIP model is not even loaded
    const pairsOf = new Map(input.modelIds.map((modelId) => [modelId, input.images.flatMap((image, at) => {
      const text = input.captions.get(modelId)?.get(image.path)?.text;
      return text ? [{ at, path: image.path, text }] : [];
    })]));
    const wanted = [...new Set([...pairsOf.values()].flat().map((pair) => pair.at))].sort((a, b) => a - b);
    const vectors = wanted.length ? await input.embedder.images(wanted.map((at) => input.images[at].imagePath)) : [];
    if (vectors.length !== wanted.length) throw new Error(`${vectors.length} image embeddings for ${wanted.length} images`);
    const imageVectors = new Map(wanted.map((at, k) => [at, vectors[k]]));
    const scores = new Map<string, Map<string, number>>();
    let failures = 0;
    let scoredAny = false;
    let firstError: string | undefined;
    for (const modelId of input.modelIds) {
      const pairs = pairsOf.get(modelId)!;
      const textVectors = pairs.length ? await input.embedder.texts(pairs.map((p) => p.text)) : [];
      if (textVectors.length !== pairs.length) throw new Error(`${textVectors.length} text embeddings for ${pairs.length} captions`);
      const byPath = new Map<string, number>();
      pairs.forEach((pair, k) => {
        const image = imageVectors.get(pair.at)!;
        const text = textVectors[k];
        if (image.ok && text.ok) {
          byPath.set(pair.path, clipScore(image.vector, text.vector));
          scoredAny = true;
        } else {
          failures++;
          firstError ??= !image.ok ? image.error : !text.ok ? text.error : undefined;
        }
      });
      scores.set(modelId, byPath);
    }
    if (failures > 0) input.warn(`CLIP score: ${failures} caption(s) or image(s) could not be embedded; they have no CLIP score (first: ${firstError}).`);
    if (!scoredAny && failures > 0) return why(firstError ?? 'no pair could be embedded');
    return { scores, model: input.clipModel };
  } catch (err) {
    input.warn(`CLIP score not computed: ${(err as Error).message}`);
    return why((err as Error).message);
  }
}
