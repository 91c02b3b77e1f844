import type { RegionReply, RegionRequest, ServiceAvailability, ToRegionWebviewMessage } from './protocol/regionEditorMessages';
import type { RegionEditorServices } from './regionEditorServices';

/** Streamed text is sent to the webview at most this often. */
const DELTA_FLUSH_MS = 50;

/** What the region editor's requests need from the document they run for. */
export interface RequestContext {
  /** Answers one request (the document's services, its regions, its caption editor). */
  run(request: RegionRequest, onText: (delta: string) => void, signal: AbortSignal): Promise<RegionReply>;
}

/**
 * The webview's requests in flight for one editor: each gets exactly one reply or error with its
 * own id, its streamed text tagged with that id, and is stopped by a cancel of that id or when the
 * editor closes.
 */
export class RegionRequests {
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly context: RequestContext, private readonly post: (message: ToRegionWebviewMessage) => void) {}

  /** Starts a request; its answer is posted when it ends. An id already running is refused, not mixed up. */
  start(requestId: string, request: RegionRequest): void {
    if (this.running.has(requestId)) {
      this.post({ type: 'replyError', requestId, message: `A request with id ${requestId} is already running.`, cancelled: false });
      return;
    }
    const controller = new AbortController();
    this.running.set(requestId, controller);
    let buffered = '';
    let timer: NodeJS.Timeout | undefined;
    const flush = (): void => {
      timer = undefined;
      if (buffered && this.running.get(requestId) === controller) this.post({ type: 'delta', requestId, text: buffered });
      buffered = '';
    };
    const onText = (delta: string): void => {
      buffered += delta;
      timer ??= setTimeout(flush, DELTA_FLUSH_MS);
    };
    void this.context.run(request, onText, controller.signal).then(
      (reply) => {
        if (timer) clearTimeout(timer);
        flush();
        this.post(controller.signal.aborted ? cancelledReply(requestId) : { type: 'reply', requestId, reply });
      },
      (err: unknown) => {
        if (timer) clearTimeout(timer);
        flush();
        this.post(controller.signal.aborted ? cancelledReply(requestId) : { type: 'replyError', requestId, message: (err as Error).message ?? String(err), cancelled: false });
      },
    ).finally(() => {
      if (this.running.get(requestId) === controller) this.running.delete(requestId);
    });
  }

  /** Stops the request with this id (its error reply says it was cancelled). */
  cancel(requestId: string): void {
    this.running.get(requestId)?.abort();
  }

  dispose(): void {
    for (const controller of this.running.values()) controller.abort();
    this.running.clear();
  }
}

function cancelledReply(requestId: string): ToRegionWebviewMessage {
  return { type: 'replyError', requestId, message: 'Cancelled.', cancelled: true };
}

/** Says, per service, why it cannot be used here (missing, or the workspace is not trusted). */
export function availability(services: RegionEditorServices, trusted: boolean): ServiceAvailability {
  const untrusted = 'This workspace is not trusted: models are not run here.';
  return {
    segment: !services.segment ? 'Click-to-segment is not available: no segmentation service is set up in this window.' : trusted ? undefined : untrusted,
    describe: !services.describe ? 'Describe is not available: no region describer is set up in this window.' : trusted ? undefined : untrusted,
    fuse: !services.fuse ? 'Fuse into Caption is not available: no region describer is set up in this window.' : trusted ? undefined : untrusted,
  };
}
