/**
 * "Evaluate Models…": references → seeded sample → each model captions it through the batch engine
 * (candidates in the workspace storage) → CLIP scores when a local CLIP model runs → scores → a saved
 * EvaluationReport. The request path is the batch runner's: CaptioningService.prepareToSend (trust,
 * key, key destination) and CaptioningService.generate (settings, prompt, clean-up).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { captionSample, modelFolderName, type SampleImage } from '../core/evaluation/captionSample';
import { type EvaluationReport, type ModelCaption, type ReferenceSource } from '../core/evaluation/evaluationReport';
import { importedReferences, readSidecarReferences, type ReferenceImage, type ReferenceSet } from '../core/evaluation/references';
import { assembleReport, type ReportInput } from '../core/evaluation/assembleReport';
import { resumePlan } from '../core/evaluation/resumePlan';
import { deleteJournal, listJournals } from '../core/captioning/batchJournal';
import { newReportId, writeReport } from '../core/evaluation/reportFile';
import { drawSample } from '../core/evaluation/sample';
import { evaluationClipScores, type EvaluationClip } from '../core/evaluation/evaluationClip';
import type { DatasetBoundary } from '../core/files/datasetBoundary';
import { parseCaptionSource } from '../core/import/parseCaptionSource';
import { readImportSource } from '../core/import/sourceText';
import { readBatchSettings } from '../generationSettings';
import { batchLimits, shortLimits } from '../providers/batchLimits';
import type { ModelEntry } from '../providers/types';
import { readIndexOptions } from '../settings';
import type { BatchActivity } from './batchActivity';
import type { CaptioningService } from './captioningService';
import type { DatasetService } from './datasetService';
import type { EmbeddingService } from './embeddingService';
import { evaluationSettingsFrom, EVALUATE_SECTION, type EvaluationSettings } from './evaluationSettings';
import type { LocalModelService } from './localModelService';
import { showWarning } from './notifications';
import { withBatchProgress } from './withBatchProgress';

/** Where the references come from: the sidecar setting's suffix, or an imported caption-set file. */
export type ReferenceChoice = { readonly kind: 'sidecar' } | { readonly kind: 'imported'; readonly file: string };

export interface EvaluationRequest {
  readonly references: ReferenceChoice;
  readonly sampleSize: number;
  readonly seed: number;
  readonly models: readonly ModelEntry[];
}

/** A model ready to be sent to, with its key. */
interface ReadyModel {
  readonly model: ModelEntry;
  readonly apiKey?: string;
}

/** One run of the caption-score-save loop: a new evaluation, or the rest of a cancelled one. */
interface EvaluationJob {
  readonly id: string;
  /** Where report.json, the candidates and the journals go. */
  readonly reportFolder: string;
  readonly ready: readonly ReadyModel[];
  readonly settings: EvaluationSettings;
  readonly sampled: readonly SampleImage[];
  /** Model id → image path → a caption kept from a cancelled run (never asked again). */
  readonly kept: ReadonlyMap<string, ReadonlyMap<string, ModelCaption>>;
  /** What the report says of its references and sample. */
  readonly header: Pick<ReportInput, 'references' | 'referenceCounts' | 'sample' | 'sampleSize' | 'seed'>;
}

/** A saved report and its file. */
export interface EvaluationResult {
  readonly report: EvaluationReport;
  readonly file: string;
}

/** Runs evaluations; reports go to `<evaluationsFolder>/<id>/report.json`. */
export class EvaluationService {
  constructor(
    private readonly dataset: DatasetService,
    private readonly captioning: CaptioningService,
    private readonly activity: BatchActivity,
    private readonly local: LocalModelService,
    private readonly embeddings: EmbeddingService,
    /** `<workspace storage>/evaluations`. */
    readonly evaluationsFolder: string,
  ) {}

  /** The settings, with a warning (once per call) for each one that cannot be used. */
  settings(): EvaluationSettings {
    const options = readIndexOptions();
    const config = vscode.workspace.getConfiguration(EVALUATE_SECTION);
    const { settings, problems } = evaluationSettingsFrom((key) => config.get(key), options.captionExtension, options.imageExtensions);
    for (const problem of problems) {
      this.captioning.log.warn(problem);
      void showWarning(problem);
    }
    return settings;
  }

  /** The dataset's images and their references (what the pickers show counts of). */
  async references(choice: ReferenceChoice, settings: EvaluationSettings): Promise<{ set: ReferenceSet; source: ReferenceSource; images: ReadonlyMap<string, SampleImage> }> {
    const images = await this.datasetImages();
    const index = this.dataset.index!;
    const list: ReferenceImage[] = [...images.values()].map((i) => ({ imagePath: i.imagePath, relPath: i.path, captionPath: i.captionPath }));
    if (choice.kind === 'sidecar') {
      const set = await readSidecarReferences(list, settings.referenceExtension, index.boundary);
      return { set, source: { kind: 'sidecar', extension: settings.referenceExtension }, images };
    }
    const parsed = parseCaptionSource(await readImportSource(choice.file), path.basename(choice.file));
    return { set: importedReferences(parsed.records, list), source: { kind: 'imported', file: choice.file, format: parsed.format }, images };
  }

  /** The dataset's images a model may see, by relative path (a link out of the dataset is never sent to a model). */
  private async datasetImages(): Promise<Map<string, SampleImage>> {
    await this.dataset.whenReady();
    const index = this.dataset.index;
    if (!index || index.size === 0) throw new Error('Open a dataset folder with images first.');
    const images = new Map<string, SampleImage>();
    for (const image of index.images()) {
      if (index.isOutside(image)) continue;
      const imagePath = index.imagePath(image);
      const relPath = index.relativePath(imagePath) ?? image.name;
      images.set(relPath, { path: relPath, imagePath, captionPath: index.captionPath(image) });
    }
    return images;
  }

  /** Each model with its key, or undefined when one may not be sent to (prepareToSend said why). */
  private async prepare(models: readonly ModelEntry[]): Promise<ReadyModel[] | undefined> {
    const ready: ReadyModel[] = [];
    for (const model of models) {
      const prepared = await this.captioning.prepareToSend(model);
      if (!prepared) return undefined;
      ready.push({ model, apiKey: prepared.apiKey });
    }
    return ready;
  }

  /**
   * Runs an evaluation to its saved report. Undefined when nothing may be sent (untrusted workspace,
   * a key not given: prepareToSend said why). A cancel keeps what was captioned: `cancelled: true`.
   */
  async run(request: EvaluationRequest): Promise<EvaluationResult | undefined> {
    if (request.models.length < 2) throw new Error('Pick two or more models to compare.');
    const ready = await this.prepare(request.models);
    if (!ready) return undefined;
    const settings = this.settings();
    const { set, source, images } = await this.references(request.references, settings);
    const sample = drawSample(set.references.keys(), request.sampleSize, request.seed);
    if (sample.length === 0) throw new Error(noReferencesMessage(source, set));
    const id = newReportId();
    this.captioning.log.info(`Evaluation ${id}: ${sample.length} of ${set.counts.imagesWithReferences} images with references (seed ${request.seed}), models ${request.models.map((m) => m.label).join(', ')}`);
    return this.captionAndSave({
      id,
      reportFolder: path.join(this.evaluationsFolder, id),
      ready,
      settings,
      sampled: sample.map((p) => images.get(p)!),
      kept: new Map(),
      header: { references: source, referenceCounts: set.counts, sample: sample.map((p) => ({ path: p, references: set.references.get(p)! })), sampleSize: request.sampleSize, seed: request.seed },
    });
  }

  /**
   * Finishes a cancelled evaluation in its own folder: each model is asked only for the images it
   * gave no caption for (failed or never sent); what it gave before is kept. The report is saved
   * again under the same id. Undefined when nothing may be sent.
   */
  async resume(stored: EvaluationResult): Promise<EvaluationResult | undefined> {
    const old = stored.report;
    if (!old.cancelled) throw new Error(`The evaluation ${old.id} is finished: there is nothing to resume.`);
    const models = old.models.map(({ modelId, label }) => {
      const model = this.captioning.registry.find(modelId);
      if (!model) throw new Error(`The evaluation used the model ${label} (${modelId}), which is no longer configured: add it back to imageCaptioner.models to resume.`);
      return model;
    });
    const images = await this.datasetImages();
    const root = this.dataset.index!.rootPath;
    if (path.resolve(root) !== path.resolve(old.datasetRoot)) throw new Error(`The evaluation was run on ${old.datasetRoot}: open that folder to resume it.`);
    const missing = old.images.filter((image) => !images.has(image.path));
    if (missing.length) throw new Error(`${missing.length} sampled image(s) are no longer in the dataset (first: ${missing[0].path}); the evaluation cannot be resumed.`);
    const ready = await this.prepare(models);
    if (!ready) return undefined;
    const plan = resumePlan(old);
    this.captioning.log.info(`Evaluation ${old.id} resumed: ${plan.map((m) => `${m.label} ${m.remaining.length} left`).join(', ')}`);
    const reportFolder = path.dirname(stored.file);
    const journalFolder = path.join(reportFolder, 'journal');
    const stale = (await listJournals(journalFolder)).jobs.map((job) => job.file);
    const result = await this.captionAndSave({
      id: old.id,
      reportFolder,
      ready,
      settings: this.settings(),
      sampled: old.images.map((image) => images.get(image.path)!),
      kept: new Map(plan.map((m) => [m.modelId, m.kept])),
      header: { references: old.references, referenceCounts: old.referenceCounts, sample: old.images.map((i) => ({ path: i.path, references: i.references })), sampleSize: old.sampleSize, seed: old.seed },
    });
    // the report now holds what the cancelled run's journals held
    for (const file of stale) await deleteJournal(file);
    return result;
  }

  /** Captions the sample with each model (each skipping the images in `kept`), scores it, saves the report. */
  private async captionAndSave(job: EvaluationJob): Promise<EvaluationResult> {
    const { id, reportFolder, ready, settings, sampled } = job;
    const index = this.dataset.index!;
    const log = this.captioning.log;
    const captions = new Map<string, Map<string, ModelCaption>>(ready.map(({ model }) => [model.id, new Map(job.kept.get(model.id))]));
    let cancelled = false;
    for (const [position, { model, apiKey }] of ready.entries()) {
      const kept = job.kept.get(model.id);
      const images = kept ? sampled.filter((image) => !kept.has(image.path)) : sampled;
      if (images.length === 0) continue;
      const limits = batchLimits(readBatchSettings(), model);
      const title = `Evaluating ${model.label} (${position + 1} of ${ready.length}) · ${shortLimits(limits)}`;
      const summary = await withBatchProgress(this.activity, title, async (report, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        const result = await captionSample({
          reportFolder,
          modelFolder: modelFolderName(model.id, position),
          modelId: model.id,
          datasetRoot: index.rootPath,
          images,
          concurrency: limits.concurrency,
          rpm: limits.rpm,
          signal: abort.signal,
          onProgress: report,
          generate: async (imagePath, signal) => {
            const generated = await this.captioning.generate({ imagePath, model, signal }, apiKey);
            return { text: generated.text, elapsedMs: generated.elapsedMs };
          },
        });
        for (const [p, caption] of result.captions) captions.get(model.id)!.set(p, caption);
        return result.summary;
      });
      log.info(`Evaluation ${id}, ${model.label}: ${summary.written} captioned, ${summary.failed} failed${summary.pending ? `, ${summary.pending} not run` : ''}`);
      if (summary.cancelled) {
        cancelled = true;
        break;
      }
    }
    const models = ready.map((r) => r.model);
    const clip = cancelled ? { why: 'The evaluation was cancelled before CLIP scoring.' } : await this.clipScores(settings, models, sampled, captions, index.boundary);
    const report = assembleReport({
      id,
      datasetRoot: index.rootPath,
      ...job.header,
      models: models.map((m) => ({ modelId: m.id, label: m.label })),
      captions,
      clip,
      genderWords: settings.genderWords,
      cancelled,
    });
    const file = await writeReport(reportFolder, report);
    log.info(`Evaluation ${id} saved: ${file}`);
    return { report, file };
  }

  /** CLIP scores of every caption with the local CLIP model, or why there are none. */
  private async clipScores(
    settings: EvaluationSettings,
    models: readonly ModelEntry[],
    images: readonly SampleImage[],
    captions: ReadonlyMap<string, ReadonlyMap<string, ModelCaption>>,
    boundary: DatasetBoundary,
  ): Promise<EvaluationClip> {
    if (!settings.clipScore) return { why: `CLIP scoring is turned off (${EVALUATE_SECTION}.clipScore).` };
    const model = this.local.clipModel();
    if (!model.id.trim()) return { why: 'No local CLIP model is set (imageCaptioner.local.clipModel).' };
    return evaluationClipScores({
      embedder: {
        images: (paths) => this.embeddings.embedImages(model, paths, boundary),
        texts: (texts) => this.embeddings.embedTexts(model, texts),
      },
      clipModel: model.id,
      modelIds: models.map((m) => m.id),
      images,
      captions,
      warn: (line) => this.captioning.log.warn(line),
    });
  }
}

function noReferencesMessage(source: ReferenceSource, set: ReferenceSet): string {
  const unreadable = set.counts.unreadable.length ? ` ${set.counts.unreadable.length} reference file(s) could not be read (first: ${set.counts.unreadable[0].path}: ${set.counts.unreadable[0].reason}).` : '';
  return source.kind === 'sidecar'
    ? `No image has references: put them beside each image as <name>${source.extension}, one per line (setting ${EVALUATE_SECTION}.referenceExtension), or import a caption set.${unreadable}`
    : `No record of ${path.basename(source.file)} names an image of this dataset (${set.counts.referencesWithoutImage} records without an image).`;
}
