import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { BatchMode } from './captionMerge';
import type { BatchItem } from './batchTypes';

/** First line of a journal: what the job is, so that it can be resumed from the file alone. */
export interface JournalHeader {
  readonly type: 'header';
  readonly version: 1;
  readonly jobId: string;
  /** ISO time the job was created. */
  readonly created: string;
  readonly modelId?: string;
  readonly promptHash?: string;
  readonly mode: BatchMode;
  readonly separator?: string;
  readonly items: readonly BatchItem[];
  readonly context?: unknown;
}

/** Written before a caption's rename: if the process dies right after it, resume can tell the rename happened. */
export interface IntentRecord {
  readonly type: 'writing';
  readonly image: string;
  readonly captionHash: string;
}

/** Written after the caption's rename (or when the item is settled without a write). */
export interface OutcomeRecord {
  readonly type: 'item';
  readonly image: string;
  readonly outcome: 'written' | 'skipped' | 'failed';
  readonly reason?: string;
  readonly captionHash?: string;
  readonly attempts?: number;
}

export type JournalRecord = IntentRecord | OutcomeRecord;

export interface JournalState {
  readonly file: string;
  readonly header: JournalHeader;
  /** Latest outcome per image path. */
  readonly outcomes: ReadonlyMap<string, OutcomeRecord>;
  /** Caption hash of writes begun and never confirmed, per image path. */
  readonly openIntents: ReadonlyMap<string, string>;
  /** Lines that did not parse (a torn last line after kill -9). */
  readonly corruptLines: number;
}

export interface JournalSummary {
  readonly file: string;
  readonly jobId: string;
  readonly created: string;
  readonly modelId?: string;
  readonly mode: BatchMode;
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  readonly remaining: number;
  /** What the caller kept with the job (its title, what kind of batch it is). */
  readonly context?: unknown;
}

export class JournalError extends Error {
  constructor(readonly file: string, detail: string) {
    super(`Batch journal ${file} cannot be used: ${detail}`);
    this.name = 'JournalError';
  }
}

const SUFFIX = '.batch.jsonl';

/** Hash of the caption text as written, '\n' line breaks (BOM and CRLF are the file's format, not its text). */
export function hashText(text: string): string {
  return createHash('sha256').update(text.replace(/\r\n/g, '\n'), 'utf8').digest('hex').slice(0, 32);
}

export function newJobId(): string {
  return `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}-${randomBytes(3).toString('hex')}`;
}

/** An item needs no further request: its caption was written, or it already had one. */
export function isDone(record: OutcomeRecord | undefined): boolean {
  return record?.outcome === 'written' || (record?.outcome === 'skipped' && record.reason === 'had-caption');
}

/** An append-only JSONL journal; each record is durable (fsync) when its promise resolves. */
export class BatchJournal {
  private pending: { line: string; resolve: () => void; reject: (err: unknown) => void }[] = [];
  private flushing: Promise<void> | undefined;

  private constructor(readonly file: string, private readonly handle: fs.FileHandle) {}

  /** Creates `<folder>/<jobId>.batch.jsonl` with its header line, flushed. */
  static async create(folder: string, header: Omit<JournalHeader, 'type' | 'version'>): Promise<BatchJournal> {
    await fs.mkdir(folder, { recursive: true });
    const file = path.join(folder, `${header.jobId}${SUFFIX}`);
    const handle = await fs.open(file, 'wx');
    const journal = new BatchJournal(file, handle);
    await journal.append({ type: 'header', version: 1, ...header });
    return journal;
  }

  /** Opens an existing journal for appending, first cutting a torn last line so new lines stay whole. */
  static async openForAppend(file: string): Promise<BatchJournal> {
    const bytes = await fs.readFile(file);
    const end = bytes.lastIndexOf(0x0a) + 1;
    if (end < bytes.length) await fs.truncate(file, end);
    return new BatchJournal(file, await fs.open(file, 'a'));
  }

  record(record: JournalRecord): Promise<void> {
    return this.append(record);
  }

  async close(): Promise<void> {
    await this.flushing;
    await this.handle.close();
  }

  private append(value: JournalHeader | JournalRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ line: `${JSON.stringify(value)}\n`, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  /** Group commit: lines queued while one fsync runs share the next one. */
  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0);
      try {
        await this.handle.write(batch.map((p) => p.line).join(''));
        await this.handle.sync();
        for (const p of batch) p.resolve();
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
    this.flushing = undefined;
  }
}

/** Reads a journal, tolerating unparseable lines (a torn last line after kill -9). */
export async function readJournal(file: string): Promise<JournalState> {
  const text = await fs.readFile(file, 'utf8');
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  let corruptLines = 0;
  const parsed: unknown[] = [];
  for (const line of lines) {
    try {
      parsed.push(JSON.parse(line));
    } catch {
      corruptLines++;
    }
  }
  const header = parsed[0] as JournalHeader | undefined;
  if (header?.type !== 'header' || header.version !== 1 || !Array.isArray(header.items)) {
    throw new JournalError(file, 'its first line is not a batch journal header');
  }
  const outcomes = new Map<string, OutcomeRecord>();
  const openIntents = new Map<string, string>();
  for (const record of parsed.slice(1) as JournalRecord[]) {
    if (record?.type === 'writing') openIntents.set(record.image, record.captionHash);
    else if (record?.type === 'item') {
      outcomes.set(record.image, record);
      openIntents.delete(record.image);
    }
  }
  return { file, header, outcomes, openIntents, corruptLines };
}

/** A journal file that cannot be used, and why; it is left in place for the user to look at. */
export interface UnreadableJournal {
  readonly file: string;
  readonly reason: string;
}

/** Jobs that can be resumed, newest first, and the journal files that could not be read. */
export async function listJournals(folder: string): Promise<{ jobs: JournalSummary[]; unreadable: UnreadableJournal[] }> {
  const names = await fs.readdir(folder).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  const jobs: JournalSummary[] = [];
  const unreadable: UnreadableJournal[] = [];
  for (const name of names.filter((n) => n.endsWith(SUFFIX))) {
    const file = path.join(folder, name);
    let state: JournalState;
    try {
      state = await readJournal(file);
    } catch (err) {
      // deleted since the listing: that job just finished
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') unreadable.push({ file, reason: err instanceof Error ? err.message : String(err) });
      continue;
    }
    const summary = summarize(state);
    if (summary.remaining > 0) jobs.push(summary);
  }
  return { jobs: jobs.sort((a, b) => b.created.localeCompare(a.created)), unreadable };
}

export function summarize(state: JournalState): JournalSummary {
  const { header, outcomes } = state;
  let done = 0;
  let failed = 0;
  for (const item of header.items) {
    const record = outcomes.get(item.imagePath);
    if (isDone(record)) done++;
    else if (record?.outcome === 'failed') failed++;
  }
  return {
    file: state.file,
    jobId: header.jobId,
    created: header.created,
    modelId: header.modelId,
    mode: header.mode,
    total: header.items.length,
    done,
    failed,
    remaining: header.items.length - done,
    context: header.context,
  };
}

export async function deleteJournal(file: string): Promise<void> {
  await fs.rm(file, { force: true });
}
