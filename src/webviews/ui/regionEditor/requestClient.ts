/** The webview side of request/reply: each request gets an id, and only that id's answer settles it. */
import type { FromRegionWebviewMessage, RegionReplies, RegionRequest, ToRegionWebviewMessage } from '../../protocol/regionEditorMessages';

/** A request that ended without an answer: an error from the host, or cancelled. */
export class RequestFailed extends Error {
  constructor(message: string, readonly cancelled: boolean) {
    super(message);
  }
}

interface Pending {
  readonly resolve: (reply: RegionReplies[keyof RegionReplies]) => void;
  readonly reject: (err: RequestFailed) => void;
  readonly onText?: (text: string) => void;
}

export class RequestClient {
  private readonly pending = new Map<string, Pending>();
  private next = 1;

  constructor(private readonly send: (message: FromRegionWebviewMessage) => void) {}

  /** Sends a request; `onText` gets its streamed text; returns its id and its answer. */
  request<K extends RegionRequest['kind']>(request: Extract<RegionRequest, { kind: K }>, onText?: (text: string) => void): { id: string; answer: Promise<RegionReplies[K]> } {
    const id = `q${this.next++}`;
    const answer = new Promise<RegionReplies[K]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as Pending['resolve'], reject, onText });
    });
    this.send({ type: 'request', requestId: id, request });
    return { id, answer };
  }

  cancel(id: string): void {
    if (this.pending.has(id)) this.send({ type: 'cancel', requestId: id });
  }

  /** Settles the request a host message is about; false for messages that are not about requests. */
  handle(message: ToRegionWebviewMessage): boolean {
    switch (message.type) {
      case 'delta':
        this.pending.get(message.requestId)?.onText?.(message.text);
        return true;
      case 'reply':
        this.pending.get(message.requestId)?.resolve(message.reply);
        this.pending.delete(message.requestId);
        return true;
      case 'replyError':
        this.pending.get(message.requestId)?.reject(new RequestFailed(message.message, message.cancelled));
        this.pending.delete(message.requestId);
        return true;
      default:
        return false;
    }
  }
}
