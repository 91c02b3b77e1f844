import * as vscode from 'vscode';
import type { EvaluationReport } from '../core/evaluation/evaluationReport';
import { listReports, readStoredReport } from '../core/evaluation/reportFile';
import { remainingRequests } from '../core/evaluation/resumePlan';
import type { ModelEntry } from '../providers/types';
import type { CaptioningService } from '../services/captioningService';
import type { EvaluationResult, EvaluationService, ReferenceChoice } from '../services/evaluationService';
import { labelText } from '../services/plainText';
import { showError, showInformation, showWarning } from '../services/notifications';

/** The sample size and seed the pickers start from. */
export const DEFAULT_SAMPLE_SIZE = 100;
export const DEFAULT_SEED = 1;

/** What a test (or another extension) may pass instead of answering the pickers. */
export interface EvaluateArgs {
  /** 'sidecar' (default), or an imported caption-set file. */
  readonly references?: 'sidecar' | { readonly file: string };
  readonly sampleSize?: number;
  readonly seed?: number;
  /** Ids from the model registry (two or more). */
  readonly modelIds?: readonly string[];
}

/** Opens a finished report (the report panel; the report's JSON until it exists). */
export type OpenReport = (report: EvaluationReport, file: string) => Promise<void>;

/** "Evaluate Models…": returns the saved report (undefined when nothing ran) so the integration suite can assert it. */
export function registerEvaluateCommands(service: EvaluationService, captioning: CaptioningService, openReport: OpenReport): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('imageCaptioner.evaluate.models', (arg?: unknown) =>
      evaluation('Evaluate Models', async () => {
        const args = isEvaluateArgs(arg) ? arg : undefined;
        const request = args ? fromArgs(args, captioning) : await askForRequest(service, captioning);
        return request ? service.run(request) : undefined;
      }),
    ),
    // a cancelled evaluation: each model is asked only for the images it has no caption for
    vscode.commands.registerCommand('imageCaptioner.evaluate.resume', (arg?: unknown) =>
      evaluation('Resume Evaluation', async () => {
        const stored = isResumeArgs(arg) ? await readStoredReport(service.evaluationsFolder, arg.file) : await pickCancelled(service);
        return stored ? service.resume(stored) : undefined;
      }),
    ),
  ];

  /** Runs an evaluation (refused untrusted), says how it ended and opens its report; its errors are shown under `title`. */
  async function evaluation(title: string, run: () => Promise<EvaluationResult | undefined>): Promise<EvaluationResult | undefined> {
    if (!vscode.workspace.isTrusted) {
      void showWarning('Image Captioner sends no request from an untrusted workspace. Trust this folder to caption with models.');
      return undefined;
    }
    try {
      const result = await run();
      if (!result) return undefined;
      await announce(result);
      await openReport(result.report, result.file);
      return result;
    } catch (err) {
      if (err instanceof vscode.CancellationError) return undefined;
      void showError(`${title}: ${(err as Error).message}`);
      return undefined;
    }
  }

  /** Says how a run ended; a cancelled one offers Resume. */
  async function announce({ report, file }: EvaluationResult): Promise<void> {
    const failed = report.models.reduce((n, m) => n + m.failed, 0);
    const text = `Evaluation of ${report.models.length} models on ${report.images.length} images ${report.cancelled ? 'cancelled; the report keeps what was captioned' : 'finished'}${failed ? ` (${failed} caption(s) ${report.cancelled ? 'failed or not run' : 'failed'})` : ''}.`;
    if (!report.cancelled) {
      void showInformation(text);
      return;
    }
    void showInformation(text, 'Resume').then((choice) => {
      if (choice === 'Resume') void vscode.commands.executeCommand('imageCaptioner.evaluate.resume', { file });
    });
  }
}

/** What a test (or the Resume button) passes instead of the quick pick: the cancelled report's file. */
export interface ResumeArgs {
  readonly file: string;
}

function isResumeArgs(arg: unknown): arg is ResumeArgs {
  return typeof arg === 'object' && arg !== null && typeof (arg as ResumeArgs).file === 'string';
}

/** A quick pick of the cancelled evaluations, newest first; undefined when there is none or the user closes it. */
async function pickCancelled(service: EvaluationService): Promise<EvaluationResult | undefined> {
  const cancelled = (await listReports(service.evaluationsFolder)).reports.filter((stored) => stored.report.cancelled);
  if (cancelled.length === 0) {
    void showInformation('No cancelled evaluation to resume.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    cancelled.map((stored) => ({
      label: labelText(stored.report.models.map((m) => m.label).join(' vs ')),
      description: `${stored.report.images.length} images · ${remainingRequests(stored.report)} captions left`,
      detail: labelText(`${new Date(stored.report.createdAt).toLocaleString()} · ${stored.report.datasetRoot}`),
      stored,
    })),
    { title: 'Resume which evaluation?' },
  );
  return picked?.stored;
}

function isEvaluateArgs(arg: unknown): arg is EvaluateArgs {
  return typeof arg === 'object' && arg !== null && !(arg instanceof vscode.Uri) && ['references', 'sampleSize', 'seed', 'modelIds'].some((key) => key in arg);
}

function fromArgs(args: EvaluateArgs, captioning: CaptioningService): { references: ReferenceChoice; sampleSize: number; seed: number; models: ModelEntry[] } {
  const models = (args.modelIds ?? []).map((id) => {
    const model = captioning.registry.find(id);
    if (!model) throw new Error(`No model "${id}" is known.`);
    return model;
  });
  const references: ReferenceChoice = args.references && args.references !== 'sidecar' ? { kind: 'imported', file: args.references.file } : { kind: 'sidecar' };
  return { references, sampleSize: args.sampleSize ?? DEFAULT_SAMPLE_SIZE, seed: args.seed ?? DEFAULT_SEED, models };
}

async function askForRequest(service: EvaluationService, captioning: CaptioningService): Promise<{ references: ReferenceChoice; sampleSize: number; seed: number; models: ModelEntry[] } | undefined> {
  const extension = service.settings().referenceExtension;
  const source = await vscode.window.showQuickPick(
    [
      { label: 'References beside the images', description: `photo.jpg → photo${extension}, one reference per line`, choice: 'sidecar' as const },
      { label: 'An imported caption set…', description: 'Flickr captions.txt / Flickr8k.token.txt, COCO captions JSON, CSV, JSONL', choice: 'imported' as const },
    ],
    { title: 'Evaluate Models (1/4): where are the reference captions?' },
  );
  if (!source) return undefined;
  let references: ReferenceChoice = { kind: 'sidecar' };
  if (source.choice === 'imported') {
    const picked = await vscode.window.showOpenDialog({ title: 'Reference captions', canSelectMany: false, filters: { 'Caption sets': ['txt', 'csv', 'json', 'jsonl', 'token'], 'All files': ['*'] } });
    if (!picked?.[0]) return undefined;
    references = { kind: 'imported', file: picked[0].fsPath };
  }
  const size = await vscode.window.showInputBox({
    title: 'Evaluate Models (2/4): how many images?',
    prompt: 'Images drawn at random from those with references (all of them when there are fewer).',
    value: String(DEFAULT_SAMPLE_SIZE),
    validateInput: (v) => (/^\s*[1-9]\d*\s*$/.test(v) ? undefined : 'A whole number of at least 1.'),
  });
  if (size === undefined) return undefined;
  const seed = await vscode.window.showInputBox({
    title: 'Evaluate Models (3/4): seed',
    prompt: 'The same seed draws the same images, so runs can be compared.',
    value: String(DEFAULT_SEED),
    validateInput: (v) => (/^\s*-?\d{1,9}\s*$/.test(v) ? undefined : 'A whole number.'),
  });
  if (seed === undefined) return undefined;
  // taggers write tags, not captions: their BLEU and CIDEr against reference sentences would mean nothing
  const models = await captioning.pickModels(false);
  if (!models) return undefined;
  if (models.length < 2) {
    void showWarning('Evaluate Models compares two or more models: pick at least two.');
    return undefined;
  }
  return { references, sampleSize: Number(size), seed: Number(seed), models };
}
