/** Text and image embeddings, L2-normalized, batched. */
import type { RawImage, Tensor } from '@huggingface/transformers';
import type { LoadedModel } from './modelLoader';

export async function embedTexts(loaded: LoadedModel, texts: readonly string[]): Promise<Float32Array[]> {
  if (loaded.task === 'feature-extraction') {
    const output = await loaded.extractor(texts as string[], { pooling: 'mean', normalize: true });
    return rows(output);
  }
  if (loaded.task === 'clip') {
    const inputs = loaded.tokenizer(texts as string[], { padding: true, truncation: true });
    const { text_embeds } = (await loaded.textModel(inputs)) as { text_embeds: Tensor };
    return rows(text_embeds).map(normalize);
  }
  throw new Error(`A ${loaded.task} model does not embed text`);
}

export async function embedImages(loaded: LoadedModel, images: readonly RawImage[]): Promise<Float32Array[]> {
  if (loaded.task !== 'clip') throw new Error(`A ${loaded.task} model does not embed images (use a CLIP model)`);
  const inputs = await loaded.processor(images as RawImage[]);
  const { image_embeds } = (await loaded.visionModel(inputs)) as { image_embeds: Tensor };
  return rows(image_embeds).map(normalize);
}

function rows(tensor: Tensor): Float32Array[] {
  const [count, size] = tensor.dims;
  const data = tensor.data as Float32Array;
  return Array.from({ length: count }, (_, i) => data.slice(i * size, (i + 1) * size));
}

function normalize(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const norm = Math.sqrt(sum) || 1;
  return vector.map((value) => value / norm);
}
