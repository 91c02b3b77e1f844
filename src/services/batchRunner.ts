import * as vscode from 'vscode';
import * as path from 'node:path';
import { runBatch } from '../core/captioning/batchJob';
import { FailedSet, readFailedSet, resumeBatch, retryFailed } from '../core/captioning/batchResume';
import { BatchMode } from '../core/captioning/captionMerge';
import { BatchItem, BatchRuntime, BatchSummary } from '../core/captioning/batchTypes';
import { deleteJournal, listJournals, JournalSummary, readJournal, UnreadableJournal } from '../core/captioning/batchJournal';
import { readBatchSettings } from '../generationSettings';
import { BatchLimits, batchLimits, describeLimits, shortLimits } from '../providers/batchLimits';
import type { GeneratedCaption } from '../providers/captionPipeline';
import type { ModelEntry } from '../providers/types';
import { describeAndFuse, RegionTextSource } from '../core/regions/describeAndFuse';
import { CaptioningService } from './captioningService';
import { DatasetService } from './datasetService';
import { BatchActivity } from './batchActivity';
import { formatDuration } from '../core/captioning/batchProgressText';
import { withBatchProgress } from './withBatchProgress';
import { tagJobOf, type TagJobContext } from '../core/settings/taggerSettings';
import { mergeTagText } from '../core/tagging/tagMerge';
import { tagNames } from '../core/tagging/tagSelection';
import { formatTags } from '../core/edits/tagList';
import { MAX_IN_FLIGHT } from '../providers/local/gatheringQueue';
import { isTagger } from '../providers/local/localTagger';
import type { TaggingService } from './taggingService';

/** What a batch writes: captions from the model, captions fused from each image's described regions, or a WD tagger's tags. */
export type BatchKind = 'caption' | 'regions' | 'tags';

/** What a region batch needs beyond the caption batch: where region texts come from. */
export interface RegionBatchSource {
  /** The describer (the model the settings choose) and the fuser (`fuseModel`, the batch's model). */
  textSource(fuseModel: ModelEntry): RegionTextSource;
  /** True when the regions file is open with unsaved changes: a batch never writes it. */
  isRegionsDirty(regionsFile: string): boolean;
}

/** What a finished or cancelled run reports back to the command that started it. */
export interface BatchReport {
  readonly kind: BatchKind;
  readonly summary: BatchSummary;
  readonly model: ModelEntry;
  readonly failedItems: readonly BatchItem[];
  /** Images whose grounded regions were not saved (each one is in the log). */
  readonly regionsNotSaved: number;
  /** The concurrency and rate the run was given, and where each came from. */
  readonly limits: BatchLimits;
}

/** Runs caption batches in the extension host with progress, cancellation, a resumable journal and a log. */
export class BatchRunner {
  constructor(
    private readonly captioning: CaptioningService,
    private readonly dataset: DatasetService,
    private readonly journalFolder: string,
    /** True when the caption is open with unsaved changes anywhere in VS Code. */
    private readonly isDirty: (captionPath: string) => boolean,
    /** What the batches are doing, for the status bar. */
    private readonly activity: BatchActivity,
    /** Region batches need it; without it only caption batches run. */
    private readonly regions?: RegionBatchSource,
    /** Tag batches need it (a tagger picked as the captioning model tags too). */
    private readonly tagging?: TaggingService,
  ) {}

  /** A tagger model always runs a tag batch; its options (the settings now) are kept in the journal for Resume. */
  async run(items: readonly BatchItem[], model: ModelEntry, mode: BatchMode, title: string, kind: BatchKind = 'caption'): Promise<BatchReport> {
    const batchKind: BatchKind = isTagger(model) ? 'tags' : kind;
    const tagging = batchKind === 'tags' ? this.tagging?.settings() : undefined;
    const context: BatchJournalContext = { title, kind: batchKind, ...(tagging ? { tagOptions: tagging.options, tagBatchSize: tagging.batchSize } : {}) };
    return this.withProgress(title, model, batchKind, (runtime) => runBatch({ ...runtime, items, mode, journal: { folder: this.journalFolder, modelId: model.id, context } }), context);
  }

  /** Unfinished jobs of this workspace, newest first, and the journals that could not be read (logged). */
  async unfinished(): Promise<{ jobs: JournalSummary[]; unreadable: UnreadableJournal[] }> {
    const listed = await listJournals(this.journalFolder);
    for (const journal of listed.unreadable) this.captioning.log.warn(`Captioning job journal left as it is, it cannot be resumed: ${journal.reason}`);
    return listed;
  }

  /** Runs what a job left (its failed and pending images), from its journal: a job of the list, or a run's own. */
  async resume(job: Pick<JournalSummary, 'file' | 'remaining' | 'context'>, model: ModelEntry): Promise<BatchReport> {
    // the journal's own context: a job resumed from a stopped run's notice is known by its file alone
    const context = (await readJournal(job.file)).header.context ?? job.context;
    const kind = batchKindOf(context);
    const what = kind === 'regions' ? 'region captions' : kind === 'tags' ? 'tagging' : 'captioning';
    return this.withProgress(`Resuming ${what} (${job.remaining} left)`, model, kind, (runtime) => resumeBatch(job.file, runtime), context);
  }

  /** The failed items of a run's job and the mode it runs in; undefined when the job has nothing left. */
  async failedSet(report: BatchReport): Promise<FailedSet | undefined> {
    return report.summary.journalFile ? readFailedSet(report.summary.journalFile) : undefined;
  }

  /** Runs the failed items of a run's job again, in the job's mode and with its checks (see retryFailed). */
  async retryFailed(report: BatchReport, title: string): Promise<BatchReport> {
    const journalFile = report.summary.journalFile;
    if (!journalFile) throw new Error('This batch kept no journal to retry from.');
    const { context } = (await readJournal(journalFile)).header;
    return this.withProgress(title, report.model, report.kind, (runtime) => retryFailed(journalFile, runtime), context);
  }

  async discard(job: JournalSummary): Promise<void> {
    await deleteJournal(job.file);
  }

  /** Whether the item writes its image's caption (not its second caption): only that one is the index's caption text. */
  private isCaptionOf(item: BatchItem): boolean {
    const index = this.dataset.index;
    const image = index?.findImage(item.imagePath);
    return !image || index!.captionPath(image) === item.captionPath;
  }

  private async withProgress(title: string, model: ModelEntry, kind: BatchKind, start: (runtime: BatchRuntime) => Promise<BatchSummary>, context?: unknown): Promise<BatchReport> {
    const boundary = this.dataset.index?.boundary;
    if (!boundary) throw new Error('Open the dataset folder first.');
    const regions = this.regions;
    if (kind === 'regions' && !regions) throw new Error('Region batches are not available in this window.');
    const regionText = kind === 'regions' ? regions!.textSource(model) : undefined;
    const tagging = kind === 'tags' ? this.tagging : undefined;
    if (kind === 'tags' && !tagging) throw new Error('Tag batches are not available in this window.');
    const tags = tagging ? tagJobOf(context, tagging.settings()) : undefined;
    const ready = tagging ? (tagging.canRun() ? {} : undefined) : await this.captioning.prepareToSend(model);
    if (!ready) throw new vscode.CancellationError();
    // two worker requests of a batch size each in flight: the engine keeps that many images asked for
    const limits = tags ? tagLimits(readBatchSettings(), tags.batchSize) : batchLimits(readBatchSettings(), model);
    const grounded = new Map<string, GeneratedCaption>();
    const groundingWrites: Promise<boolean>[] = [];
    const log = this.captioning.log;
    log.info(`Batch "${title}" with ${model.label} started: ${describeLimits(limits)}`);
    const summary = await withBatchProgress(
      this.activity,
      `${title} with ${model.label} · ${shortLimits(limits)}`,
      async (report, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return start({
          boundary,
          concurrency: limits.concurrency,
          rpm: limits.rpm,
          signal: abort.signal,
          isProtected: (captionPath) => this.isDirty(captionPath),
          ...(tags ? { merge: mergeTagText } : {}),
          generate: async (item, signal) => {
            if (tagging && tags) return formatTags(tagNames(await tagging.tag(item.imagePath, boundary, model, tags.options, signal, tags.batchSize)), '');
            if (regionText) {
              return describeAndFuse(item.imagePath, { boundary, source: regionText, isRegionsProtected: (file) => regions!.isRegionsDirty(file) }, signal);
            }
            const result = await this.captioning.generate({ imagePath: item.imagePath, model, signal }, ready.apiKey);
            if (result.entities?.length) grounded.set(item.imagePath, result);
            return result.text;
          },
          onItem: (outcome) => {
            const result = grounded.get(outcome.item.imagePath);
            grounded.delete(outcome.item.imagePath);
            if (outcome.kind === 'written') {
              if (this.isCaptionOf(outcome.item)) this.dataset.noteCaption(outcome.item.imagePath, outcome.text);
              // storeGrounding logs its failure; the summary counts it
              if (result) groundingWrites.push(this.captioning.storeGrounding(outcome.item.imagePath, model, result).then(() => true, () => false));
            } else if (outcome.kind === 'failed') {
              log.error(`${path.basename(outcome.item.imagePath)}: ${outcome.reason} (${outcome.attempts} attempts)`);
            }
          },
          onProgress: report,
        });
      },
    );
    const regionsNotSaved = (await Promise.all(groundingWrites)).filter((saved) => !saved).length;
    logSummary(log, title, model, summary);
    if (regionsNotSaved) log.warn(`Grounded regions of ${regionsNotSaved} image(s) were not saved (see above); their captions were written.`);
    const failedItems = summary.outcomes.filter((o) => o.kind === 'failed').map((o) => o.item);
    return { kind, summary, model, failedItems, regionsNotSaved, limits };
  }
}

/** What a job's journal remembers besides its items: its title and kind, and for a tag job the options it tags with. */
export interface BatchJournalContext extends TagJobContext {
  readonly title: string;
  readonly kind: BatchKind;
}

/** The kind of batch a journal's context says it was (journals from before region batches are caption batches). */
export function batchKindOf(context: unknown): BatchKind {
  const kind = (context as { kind?: unknown } | undefined)?.kind;
  return kind === 'regions' || kind === 'tags' ? kind : 'caption';
}

/** A tag batch's limits: enough images asked for at once to fill two worker requests, and the user's rpm if set. */
function tagLimits(settings: ReturnType<typeof readBatchSettings>, batchSize: number): BatchLimits {
  return settings.concurrency > 0
    ? { concurrency: settings.concurrency, concurrencyFrom: 'setting', ...(settings.rpm > 0 ? { rpm: settings.rpm, rpmFrom: 'setting' as const } : {}) }
    : { concurrency: batchSize * MAX_IN_FLIGHT, concurrencyFrom: 'default', ...(settings.rpm > 0 ? { rpm: settings.rpm, rpmFrom: 'setting' as const } : {}) };
}

function logSummary(log: vscode.LogOutputChannel, title: string, model: ModelEntry, s: BatchSummary): void {
  const skippedBy = new Map<string, number>();
  for (const o of s.outcomes) if (o.kind === 'skipped') skippedBy.set(o.reason, (skippedBy.get(o.reason) ?? 0) + 1);
  const skipped = [...skippedBy].map(([reason, n]) => `${n} ${SKIP_LABELS[reason] ?? reason}`).join(', ');
  log.info(
    `Batch "${title}" with ${model.label} ${s.cancelled ? 'cancelled' : s.stopped ? 'stopped' : 'finished'} in ${formatDuration(s.elapsedMs)}: ` +
      `${s.written} written, ${s.skipped} skipped${skipped ? ` (${skipped})` : ''}, ${s.failed} failed${s.pending ? `, ${s.pending} not started` : ''}`,
  );
  if (s.stopped) log.error(`Batch "${title}" stopped after ${s.stopped.failures} failed requests in a row (${s.stopped.errorKind}): ${s.stopped.reason}`);
  for (const o of s.outcomes) if (o.kind === 'skipped' && o.reason === 'protected') log.warn(`${o.item.captionPath}: open with unsaved changes, not overwritten`);
}

const SKIP_LABELS: Record<string, string> = { 'had-caption': 'already captioned', protected: 'open with unsaved changes', journal: 'done in an earlier run' };
