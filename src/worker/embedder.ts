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
  if (loaded.task === 'image-feature-extraction') {
    // The pipeline's own call returns one output; the model is asked directly to choose among them.
    const { processor, model } = loaded.extractor;
    const { pixel_values } = (await processor(images as RawImage[])) as { pixel_values: Tensor };
    const outputs = (await model({ pixel_values })) as Record<string, Tensor | undefined>;
    // pooler_output: a ResNet's global average pool, DINOv2's normalised CLS token; else the tokens or feature map averaged
    const features = outputs.pooler_output ?? outputs.image_embeds ?? outputs.last_hidden_state ?? outputs.logits;
    if (!features) throw new Error(`The model answered none of pooler_output, image_embeds, last_hidden_state, logits (it gave ${Object.keys(outputs).join(', ')})`);
    return pooledRows(features).map(normalize);
  }
  if (loaded.task !== 'clip') throw new Error(`A ${loaded.task} model does not embed images (use a CLIP or image-feature-extraction model)`);
  const inputs = await loaded.processor(images as RawImage[]);
  const { image_embeds } = (await loaded.visionModel(inputs)) as { image_embeds: Tensor };
  return rows(image_embeds).map(normalize);
}

/**
 * One vector per batch row: [batch, features] as it is, [batch, tokens, features] averaged over the
 * tokens, [batch, channels, height, width] averaged over the positions (a pooled [b, c, 1, 1] is [b, c]).
 */
export function pooledRows(tensor: Pick<Tensor, 'dims' | 'data'>): Float32Array[] {
  const [count, ...rest] = tensor.dims;
  const data = tensor.data as Float32Array;
  const size = rest.reduce((a, b) => a * b, 1);
  const [features, positions, stride, step] =
    rest.length === 2 ? [rest[1], rest[0], 1, rest[1]] : rest.length === 3 ? [rest[0], rest[1] * rest[2], rest[1] * rest[2], 1] : [size, 1, 1, 0];
  return Array.from({ length: count }, (_, row) => {
    const out = new Float32Array(features);
    const base = row * size;
    for (let f = 0; f < features; f++) {
      let sum = 0;
      for (let p = 0; p < positions; p++) sum += data[base + f * stride + p * step];
      out[f] = sum / positions;
    }
    return out;
  });
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
