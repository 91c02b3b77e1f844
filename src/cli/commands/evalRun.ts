/** What `image-captioner eval` does: the evaluation core the extension's "Evaluate Models…" runs, over a folder. Loaded only when it runs. */
import * as path from 'node:path';
import { captionSample, modelFolderName } from '../../core/evaluation/captionSample';
import { assembleReport } from '../../core/evaluation/assembleReport';
import { evaluationClipScores, type EvaluationClip } from '../../core/evaluation/evaluationClip';
import type { DatasetBoundary } from '../../core/files/datasetBoundary';
import { clipModelFrom } from '../../providers/local/workerSettings';
import { EmbeddingService } from '../../services/embeddingService';
import type { ModelRef } from '../../worker/protocol';
import type { ModelCaption } from '../../core/evaluation/evaluationReport';
import { readSidecarReferences, referenceSuffixProblem } from '../../core/evaluation/references';
import { newReportId, writeReport } from '../../core/evaluation/reportFile';
import { drawSample } from '../../core/evaluation/sample';
import { batchSettingsFrom, generationSettingsFrom } from '../../core/settings/generationSettings';
import { batchLimits } from '../../providers/batchLimits';
import { evaluationSettingsFrom } from '../../services/evaluationSettings';
import { CliError, CliIo, CliUsageError, EXIT, ExitCode } from '../cliCommand';
import { integerFlag, onePositional, parseCommandArgs } from '../commandArgs';
import { resolveKey, resolveModel } from '../cliModels';
import { cliProviders } from '../cliProviders';
import { cliRequester } from '../cliRequest';
import { readConfigFile } from '../configFile';
import { datasetSettingsFromFlags } from '../datasetFlags';
import { loadDataset, relPathOf } from '../datasetLoad';
import { terminalText } from '../terminalText';
import { FLAGS } from './evalCommand';

/** Embeddings of earlier runs under the same --out folder are reused from here. */
const CLIP_CACHE_FOLDER = '.clip-cache';

/** The extension's evaluation CLIP scoring (evaluationClip.ts) over the worker the CLI starts. */
function cliClipScores(
  embeddings: EmbeddingService,
  model: ModelRef,
  boundary: DatasetBoundary,
  modelIds: readonly string[],
  images: readonly { readonly path: string; readonly imagePath: string }[],
  captions: ReadonlyMap<string, ReadonlyMap<string, ModelCaption>>,
  io: CliIo,
): Promise<EvaluationClip> {
  io.stderr.write(`eval: CLIP scores with ${terminalText(model.id)}\n`);
  return evaluationClipScores({
    embedder: { images: (paths) => embeddings.embedImages(model, paths, boundary, { signal: io.signal }), texts: (texts) => embeddings.embedTexts(model, texts, { signal: io.signal }) },
    clipModel: model.id,
    modelIds,
    images,
    captions,
    warn: (line) => io.stderr.write(`eval: ${terminalText(line)}\n`),
  });
}

/** Runs `image-captioner eval` (see evalCommand.ts for its flags). */
export async function runEval(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(args, FLAGS);
  const dataset = onePositional(positionals, 'DATASET folder');
  const ids = values.model ?? [];
  if (ids.length < 2) throw new CliUsageError('give two or more --model to compare');
  const sampleSize = integerFlag('sample', values.sample, 100, 1, 1_000_000);
  const seed = integerFlag('seed', values.seed, 1, 0, 2 ** 31 - 1);
  const settings = await readConfigFile(values.config, io.cwd);
  const generation = generationSettingsFrom(settings);
  if (generation.paramsError) throw new CliError(generation.paramsError);
  const typedBaseUrl = values['base-url'] !== undefined;
  const models = ids.map((id) => {
    const model = resolveModel({ model: id, baseUrl: values['base-url'] }, settings);
    return { model, apiKey: resolveKey(model, io.env, values['key-env'], typedBaseUrl) };
  });
  const loaded = await loadDataset(dataset, datasetSettingsFromFlags(values), io.cwd, io.signal);
  const { index } = loaded;
  for (const warning of loaded.warnings) io.stderr.write(`eval: ${terminalText(warning)}\n`);
  // the config's imageCaptioner.evaluate.* as the extension reads them (gender words, reference suffix)
  const configured = evaluationSettingsFrom((key) => settings.get(`evaluate.${key}`), index.options.captionExtension, index.options.imageExtensions);
  for (const problem of configured.problems) io.stderr.write(`eval: ${terminalText(problem)}\n`);
  const evaluation = configured.settings;
  const extension = values['reference-extension'] ?? evaluation.referenceExtension;
  const problem = referenceSuffixProblem(extension, index.options.captionExtension, index.options.imageExtensions);
  if (problem) throw new CliError(`the reference extension "${extension}" cannot be used: ${problem}`);

  const images = loaded.images.map((image) => ({ imagePath: index.imagePath(image), relPath: relPathOf(index, image), captionPath: index.captionPath(image) }));
  const set = await readSidecarReferences(images, extension, index.boundary, { signal: io.signal });
  for (const unreadable of set.counts.unreadable) io.stderr.write(`eval: ${terminalText(unreadable.path)}: not used, ${terminalText(unreadable.reason)}\n`);
  const sample = drawSample(set.references.keys(), sampleSize, seed);
  if (sample.length === 0) throw new CliError(`no image of ${index.rootPath} has references: put them beside each image as <name>${extension}, one per line`);
  const byPath = new Map(images.map((image) => [image.relPath, image]));
  const sampled = sample.map((p) => ({ path: p, imagePath: byPath.get(p)!.imagePath, captionPath: byPath.get(p)!.captionPath }));
  const captionPathOf = new Map(sampled.map((s) => [s.imagePath, s.captionPath]));
  const id = newReportId();
  const outFolder = path.resolve(io.cwd, values.out ?? 'evaluations');
  const reportFolder = path.join(outFolder, id);
  const clipModel = clipModelFrom(settings);
  if (values['clip-score'] && !clipModel.id.trim()) throw new CliError('--clip-score needs a CLIP model: set imageCaptioner.local.clipModel in --config (a hub id or a model folder)');
  io.stderr.write(`eval: ${sample.length} of ${set.counts.imagesWithReferences} images with references (seed ${seed}), ${models.length} models\n`);

  const providers = cliProviders(settings, io.env, (line) => io.stderr.write(`eval: ${terminalText(line)}\n`));
  const captions = new Map<string, Map<string, ModelCaption>>();
  let cancelled = false;
  let failed = 0;
  let clip: EvaluationClip;
  try {
    for (const [position, { model, apiKey }] of models.entries()) {
      const limits = batchLimits(batchSettingsFrom(settings), model);
      const request = cliRequester(loaded, model, providers.factory.get(model.provider), apiKey, generation);
      const result = await captionSample({
        reportFolder,
        modelFolder: modelFolderName(model.id, position),
        modelId: model.id,
        datasetRoot: index.rootPath,
        images: sampled,
        concurrency: limits.concurrency,
        rpm: limits.rpm,
        signal: io.signal,
        generate: async (imagePath, signal) => {
          // the prompt's {caption} is the dataset's caption, as in the extension's evaluation
          const generated = await request(imagePath, captionPathOf.get(imagePath), signal);
          return { text: generated.text, elapsedMs: generated.elapsedMs };
        },
      });
      captions.set(model.id, result.captions);
      failed += result.summary.failed;
      io.stderr.write(`eval: ${terminalText(model.label)}: ${result.summary.written} captioned, ${result.summary.failed} failed${result.summary.pending ? `, ${result.summary.pending} not run` : ''}\n`);
      if (result.summary.cancelled) {
        cancelled = true;
        break;
      }
    }
    clip = !values['clip-score']
      ? { why: 'CLIP scores were not asked for (image-captioner eval --clip-score).' }
      : cancelled
        ? { why: 'The evaluation was cancelled before CLIP scoring.' }
        : await cliClipScores(new EmbeddingService(providers.embeddings, path.join(outFolder, CLIP_CACHE_FOLDER)), clipModel, loaded.index.boundary, models.map(({ model }) => model.id), sampled, captions, io);
  } finally {
    await providers.dispose();
  }
  const report = assembleReport({
    id,
    datasetRoot: index.rootPath,
    references: { kind: 'sidecar', extension },
    referenceCounts: set.counts,
    sample: sample.map((p) => ({ path: p, references: set.references.get(p)! })),
    sampleSize,
    seed,
    models: models.map(({ model }) => ({ modelId: model.id, label: model.label })),
    captions,
    clip,
    genderWords: evaluation.genderWords,
    cancelled,
  });
  const file = await writeReport(reportFolder, report);
  const rows = report.models.map((m) => ({ model: m.modelId, scored: m.scored, failed: m.failed, bleu4: m.cocoBleu?.[3], nltkBleu4: m.nltkCorpusBleu?.[3], ciderD: m.ciderD, clipScore: m.clipScore, meanWords: m.meanWords, msPerImage: m.msPerImage, genderMismatchRate: m.bias.rate }));
  if (values.json) io.stdout.write(`${JSON.stringify({ report: file, models: rows })}\n`);
  else {
    const num = (v: number | undefined, digits = 4): string => (v === undefined ? '-' : v.toFixed(digits));
    io.stdout.write(`model\tscored\tfailed\tBLEU-4 (COCO)\tBLEU-4 (NLTK)\tCIDEr-D\tCLIP\twords\tms/image\tgender mismatch\n`);
    for (const r of rows) io.stdout.write(`${terminalText(r.model)}\t${r.scored}\t${r.failed}\t${num(r.bleu4)}\t${num(r.nltkBleu4)}\t${num(r.ciderD)}\t${num(r.clipScore, 1)}\t${num(r.meanWords, 1)}\t${num(r.msPerImage, 0)}\t${r.genderMismatchRate === undefined ? 'no gendered image' : num(r.genderMismatchRate, 3)}\n`);
    io.stdout.write(`report: ${file}\n`);
  }
  if (report.clipUnavailable && values['clip-score']) io.stderr.write(`eval: no CLIP scores: ${terminalText(report.clipUnavailable)}\n`);
  if (cancelled) return EXIT.interrupted;
  return failed > 0 ? EXIT.someFailed : EXIT.ok;
}
