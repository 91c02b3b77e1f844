/**
 * One request to an OpenAI-compatible `POST {baseUrl}/embeddings` (OpenAI, NVIDIA NIM, vLLM,
 * Ollama's and LM Studio's OpenAI endpoints). Spoken with fetch rather than the openai package:
 * that client asks for base64 unless told otherwise and decodes it blindly, and NIM's own fields
 * (`input_type`, `truncate`) are outside its types. Floats are asked for: every server speaks them.
 */
import { serviceFetch } from './boundedFetch';
import { errorFromFailure } from './connectionErrors';
import { errorFromResponse, type ErrorContext } from './httpErrors';
import { ProviderError, type ModelEntry } from './types';

/** Used when an entry names no base URL (as for chat). */
const OPENAI_BASE_URL = 'https://api.openai.com/v1';

export interface EmbeddingsRequest {
  readonly model: ModelEntry;
  /** Texts, or images as data URLs (only for models whose entry says `embedding.images`). */
  readonly inputs: readonly string[];
  /** The key, or undefined for servers that need none. Never logged, never put in a message. */
  readonly apiKey?: string;
  readonly signal?: AbortSignal;
  /** Per-request limit; fails with kind 'timeout' after it. */
  readonly timeoutMs?: number;
}

/** The JSON body sent for `inputs` (exported for tests and the log). */
export function embeddingsBody(model: ModelEntry, inputs: readonly string[]): Record<string, unknown> {
  const options = model.embedding ?? {};
  return {
    ...model.extraBody,
    model: model.model,
    input: inputs,
    encoding_format: 'float',
    ...(options.inputType ? { input_type: options.inputType } : {}),
    ...(options.truncate ? { truncate: options.truncate } : {}),
    ...(options.dimensions ? { dimensions: options.dimensions } : {}),
  };
}

/** One vector per input, in input order; every failure is a ProviderError that names the model and what to do. */
export async function requestEmbeddings(request: EmbeddingsRequest): Promise<Float32Array[]> {
  const { model } = request;
  const context: ErrorContext = { service: model.label, keyHint: `run "Image Captioner: Set API Key" (${model.key})`, retiredNote: model.note, secrets: [request.apiKey] };
  const deadline = request.timeoutMs ? AbortSignal.timeout(request.timeoutMs) : undefined;
  const signals = [request.signal, deadline].filter((s): s is AbortSignal => s !== undefined);
  const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  const url = `${model.baseUrl ?? OPENAI_BASE_URL}/embeddings`;
  let text: string;
  try {
    const response = await serviceFetch(context, 'request')(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(request.apiKey ? { Authorization: `Bearer ${request.apiKey}` } : {}) },
      body: JSON.stringify(embeddingsBody(model, request.inputs)),
      signal,
    });
    text = await response.text();
    if (!response.ok) throw errorFromResponse(response.status, text, response.headers, context);
  } catch (err) {
    throw errorFromFailure(err, context, deadline?.aborted === true, request.signal?.aborted === true);
  }
  return vectorsOf(text, request.inputs.length, context);
}

/** The reply's vectors by their `index`: exactly one per input, all of one length, all finite. */
function vectorsOf(text: string, expected: number, context: ErrorContext): Float32Array[] {
  let reply: unknown;
  try {
    reply = JSON.parse(text);
  } catch {
    throw bad(context, 'a reply that is not JSON');
  }
  const data = (reply as { data?: unknown }).data;
  if (!Array.isArray(data)) throw bad(context, 'a reply without a "data" list');
  if (data.length !== expected) throw bad(context, `${data.length} embeddings for ${expected} inputs`);
  const vectors: Float32Array[] = new Array(expected);
  data.forEach((item: { index?: unknown; embedding?: unknown }, position) => {
    const index = typeof item?.index === 'number' ? item.index : position;
    if (!Number.isInteger(index) || index < 0 || index >= expected || vectors[index]) throw bad(context, `an embedding with index ${String(item?.index)}`);
    vectors[index] = vectorOf(item.embedding, context);
  });
  const dims = vectors[0]?.length ?? 0;
  if (dims === 0 || vectors.some((v) => v.length !== dims)) throw bad(context, 'embeddings of different or zero lengths');
  return vectors;
}

function vectorOf(embedding: unknown, context: ErrorContext): Float32Array {
  // a server that ignored encoding_format may still answer in base64 (little-endian float32)
  if (typeof embedding === 'string') {
    const bytes = Buffer.from(embedding, 'base64');
    if (bytes.length % 4 !== 0) throw bad(context, 'a base64 embedding that is not float32');
    const vector = new Float32Array(bytes.length / 4);
    for (let i = 0; i < vector.length; i++) vector[i] = bytes.readFloatLE(4 * i);
    return vector;
  }
  if (!Array.isArray(embedding) || !embedding.every((v) => typeof v === 'number' && Number.isFinite(v))) throw bad(context, 'an embedding that is not a list of numbers');
  return Float32Array.from(embedding as number[]);
}

function bad(context: ErrorContext, what: string): ProviderError {
  return new ProviderError('bad-response', `${context.service} answered with ${what}. Check that the model is an embedding model and the base URL serves /embeddings.`);
}
