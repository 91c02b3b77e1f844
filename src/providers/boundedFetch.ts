import { ProviderError } from './types';

/** Largest reply body read from a service: far beyond any caption, far below what would hurt the host. */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
/** Longest caption text collected from a stream (characters). */
export const MAX_STREAMED_CHARS = 256 * 1024;

/** A reply that kept coming past its limit. */
export function replyTooLarge(service: string, what: string): ProviderError {
  return new ProviderError('bad-response', `${service} sent ${what}, more than any caption needs; the reply was cut off and nothing was kept. Check the base URL, and max_tokens in the model's parameters.`);
}

/** `response` whose body fails with a ProviderError once more than `limit` bytes have arrived (whatever Content-Length said). */
export function boundedResponse(response: Response, service: string, limit = MAX_RESPONSE_BYTES): Response {
  if (!response.body) return response;
  let received = 0;
  const body = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.byteLength;
        if (received > limit) controller.error(replyTooLarge(service, `a reply over ${Math.round(limit / 1024 / 1024)} MB`));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** fetch whose reply bodies are bounded (see boundedResponse). */
export function boundedFetch(service: string, base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => boundedResponse(await base(input, init), service);
}
