/** Reads the small parts of each WebDataset sample ahead of the writer: caption, image size and head, regions. */
import * as path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { ExportSample } from './exportTypes';
import { lookahead } from './lookahead';
import { ImageHead, readImageHead, readImageHeadSync } from './imageHead';
import { hasRegionsSync, loadCaption, loadCaptionSync, loadSecondCaption, loadSecondCaptionSync, Loaded } from './sampleSource';

export interface SampleDraft {
  readonly sample: ExportSample;
  /** The image's extension, lower-case, as its member's. */
  readonly ext: string;
  readonly caption: string;
  /** The second caption's text when the sample exports one. */
  readonly secondCaption?: string;
  readonly image: ImageHead;
  /** undefined: not checked yet (read asynchronously when the sample is written). */
  readonly hasRegions?: boolean;
}

/** The longest one run of synchronous reads holds the event loop: short, so the writes queued meanwhile keep the disk busy. */
const SLICE_MS = 2;
/** Drafts read ahead of the writer: at most this many, holding at most QUEUE_BYTES of image heads. */
const QUEUE_SAMPLES = 64;
const QUEUE_BYTES = 8 * 1024 * 1024;
/** A synchronous sample slower than this means slow storage: the rest is read asynchronously. */
const SLOW_SAMPLE_MS = 20;
const ASYNC_LOOKAHEAD = 16;

/** Member extensions that webdataset would see twice in one sample if an image had them. */
const RESERVED_EXTENSIONS = new Set(['txt', 'json']);

/**
 * Drafts in the order of `samples`. Small cached files are read synchronously, in slices of about
 * 2 ms run while the writer waits on the disk (async fs calls cost several thread-pool round trips
 * each, far more than these reads); slow storage falls back to async reads with a few samples in
 * flight, so the host never stalls.
 */
export async function* readDrafts(samples: readonly ExportSample[], onlyCaptioned: boolean, slowSampleMs = SLOW_SAMPLE_MS): AsyncGenerator<Loaded<SampleDraft>> {
  const reader = new SyncDraftReader(samples, onlyCaptioned, slowSampleMs);
  try {
    yield* reader.drafts();
  } finally {
    await reader.stop();
  }
  const rest = function* (): Generator<ExportSample> {
    for (let i = reader.next; i < samples.length; i++) yield samples[i];
  };
  yield* lookahead(rest(), ASYNC_LOOKAHEAD, (sample) => draftAsync(sample, onlyCaptioned));
}

/** Reads drafts synchronously in the background, a slice per event-loop turn, while the queue has room. */
class SyncDraftReader {
  next = 0;
  private readonly queue: Array<Loaded<SampleDraft>> = [];
  private queuedBytes = 0;
  private readonly scratch = Buffer.allocUnsafe(64 * 1024);
  private readonly slabs = new SlabPool();
  private readonly allocate = (size: number): Buffer => this.slabs.allocate(size);
  private slow = false;
  private stopped = false;
  private finished = false;
  private failure: unknown;
  private wakeConsumer?: () => void;
  private wakeProducer?: () => void;
  private readonly producing: Promise<void>;

  constructor(private readonly samples: readonly ExportSample[], private readonly onlyCaptioned: boolean, private readonly slowSampleMs: number) {
    this.producing = this.produce().catch((err: unknown) => void (this.failure = err)).finally(() => {
      this.finished = true;
      this.wakeConsumer?.();
    });
  }

  async *drafts(): AsyncGenerator<Loaded<SampleDraft>> {
    for (;;) {
      const draft = this.queue.shift();
      if (draft) {
        if (draft.ok) this.queuedBytes -= draft.value.image.head.length;
        if (!this.full(2)) this.wakeProducer?.();
        yield draft;
        // Asked for the next draft: the writer is done with this one's head.
        if (draft.ok) this.slabs.release(draft.value.image.head);
      } else if (this.failure !== undefined) {
        throw this.failure;
      } else if (this.finished) {
        return;
      } else {
        await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeProducer?.();
    await this.producing;
  }

  /** Whether the queue holds more than 1/`part` of its limits. */
  private full(part: number): boolean {
    return this.queue.length >= QUEUE_SAMPLES / part || this.queuedBytes >= QUEUE_BYTES / part;
  }

  private async produce(): Promise<void> {
    while (this.next < this.samples.length && !this.slow && !this.stopped) {
      if (this.full(2)) {
        await new Promise<void>((resolve) => (this.wakeProducer = resolve));
        continue;
      }
      const sliceEnd = performance.now() + SLICE_MS;
      while (this.next < this.samples.length && !this.full(1) && !this.slow && performance.now() < sliceEnd) {
        const started = performance.now();
        const draft = draftSync(this.samples[this.next++], this.onlyCaptioned, this.scratch, this.allocate);
        this.slow = performance.now() - started > this.slowSampleMs;
        if (draft.ok) this.queuedBytes += draft.value.image.head.length;
        this.queue.push(draft);
      }
      this.wakeConsumer?.();
      await yieldToEventLoop();
    }
  }
}

/**
 * Short ASCII extensions only: a member name must fit a plain tar header (no PAX record, whose
 * extra bytes the shard's size accounting does not count).
 */
function imageExtension(sample: ExportSample): Loaded<string> {
  const ext = path.extname(sample.imagePath).slice(1).toLowerCase();
  if (/^[a-z0-9]{1,16}$/.test(ext) && !RESERVED_EXTENSIONS.has(ext)) return { ok: true, value: ext };
  return { ok: false, skip: { path: sample.relPath, reason: 'image unreadable', detail: `the extension ".${ext}" cannot name an image member` } };
}

/**
 * Image heads cut from shared 1 MB slabs: one allocation per megabyte instead of one per image
 * keeps the garbage collector out of the way, and a slab is reused once every head cut from it
 * has been written, so the export touches a few megabytes of fresh memory instead of one new page
 * per 4 KB exported (export-wds gained about 5% over throwaway slabs).
 */
class SlabPool {
  private readonly free: Buffer[] = [];
  /** Heads not yet released, per slab (keyed by its memory). */
  private readonly live = new Map<ArrayBufferLike, { readonly slab: Buffer; count: number }>();
  private slab: Buffer | undefined;
  private used = 0;

  constructor(private readonly slabBytes = 1024 * 1024) {}

  allocate(size: number): Buffer {
    if (size > this.slabBytes / 4) return Buffer.allocUnsafe(size);
    if (!this.slab || this.used + size > this.slab.length) {
      const full = this.slab;
      this.slab = this.free.pop() ?? Buffer.allocUnsafe(this.slabBytes);
      this.used = 0;
      if (full && !this.live.has(full.buffer)) this.free.push(full);
    }
    const entry = this.live.get(this.slab.buffer) ?? { slab: this.slab, count: 0 };
    entry.count += 1;
    this.live.set(this.slab.buffer, entry);
    this.used += size;
    return this.slab.subarray(this.used - size, this.used);
  }

  /** The head is written: its slab returns to the pool once it is not being filled and holds no other live head. */
  release(head: Buffer): void {
    const entry = this.live.get(head.buffer);
    if (!entry) return; // a head of its own, not cut from a slab
    entry.count -= 1;
    if (entry.count > 0) return;
    this.live.delete(head.buffer);
    if (entry.slab !== this.slab) this.free.push(entry.slab);
  }
}

function draftSync(sample: ExportSample, onlyCaptioned: boolean, scratch: Buffer, allocate: (size: number) => Buffer): Loaded<SampleDraft> {
  const caption = loadCaptionSync(sample, onlyCaptioned, scratch);
  if (!caption.ok) return caption;
  const ext = imageExtension(sample);
  if (!ext.ok) return ext;
  const second = loadSecondCaptionSync(sample, scratch);
  if (!second.ok) return second;
  const image = readImageHeadSync(sample, allocate);
  if (!image.ok) return image;
  return { ok: true, value: { sample, ext: ext.value, caption: caption.value, secondCaption: second.value, image: image.value, hasRegions: hasRegionsSync(sample) } };
}

async function draftAsync(sample: ExportSample, onlyCaptioned: boolean): Promise<Loaded<SampleDraft>> {
  const caption = await loadCaption(sample, onlyCaptioned);
  if (!caption.ok) return caption;
  const ext = imageExtension(sample);
  if (!ext.ok) return ext;
  const second = await loadSecondCaption(sample);
  if (!second.ok) return second;
  const image = await readImageHead(sample);
  if (!image.ok) return image;
  return { ok: true, value: { sample, ext: ext.value, caption: caption.value, secondCaption: second.value, image: image.value } };
}
