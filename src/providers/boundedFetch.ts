import { connectionError } from './connectionErrors';
import type { ErrorContext } from './httpErrors';
import { RequestStep, hostOf } from './requestSteps';
import { ProviderError } from './types';

/** Largest reply body read from a service: far beyond any caption, far below what would hurt the host. */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
/** Longest caption text collected from a stream (characters). */
export const MAX_STREAMED_CHARS = 256 * 1024;

/** A reply that kept coming past its limit. */
export function replyTooLarge(service: string, what: string): ProviderError {
  return new ProviderError('bad-response', `${service} sent ${what}, more than any caption needs; the reply was cut off and nothing was kept. Check the base URL, and max_tokens in the model's parameters.`);
}

/**
 * `response` whose body fails with a ProviderError once more than `limit` bytes have arrived (whatever
 * Content-Length said); a body that fails on its own fails with `failed(error)` (the error itself by default).
 */
export function boundedResponse(response: Response, service: string, limit = MAX_RESPONSE_BYTES, failed: (err: unknown) => unknown = (err) => err): Response {
  if (!response.body) return response;
  const source = response.body.getReader();
  let received = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let chunk: Awaited<ReturnType<typeof source.read>>;
      try {
        chunk = await source.read();
      } catch (err) {
        return controller.error(failed(err));
      }
      if (chunk.done) return controller.close();
      received += chunk.value.byteLength;
      if (received <= limit) return controller.enqueue(chunk.value);
      const tooLarge = replyTooLarge(service, `a reply over ${Math.round(limit / 1024 / 1024)} MB`);
      controller.error(tooLarge);
      await source.cancel(tooLarge).catch(() => undefined); // closes the connection; the reader already has the error
    },
    cancel: (reason) => source.cancel(reason),
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/**
 * fetch for one step of a request: reply bodies bounded (see boundedResponse), and a failure to
 * connect or a connection lost mid-reply turned into a ProviderError naming the host and the step
 * (see connectionError). An aborted request fails with its own error, so callers tell a cancel from a timeout.
 */
export function serviceFetch(context: ErrorContext, step: RequestStep, base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const failed = (err: unknown): unknown => (init?.signal?.aborted || err instanceof ProviderError ? err : connectionError(err, context, { step, host: hostOf(input) }));
    let response: Response;
    try {
      response = await base(input, init);
    } catch (err) {
      throw failed(err);
    }
    return boundedResponse(response, context.service, MAX_RESPONSE_BYTES, failed);
  };
}
