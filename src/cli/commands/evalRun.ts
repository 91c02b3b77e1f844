/** What `image-captioner eval` does: the evaluation core the extension's "Evaluate Models…" runs, over a folder. Loaded only when it runs. */
import * as path from 'node:path';
import { captionSample, modelFolderName } from '../../core/evaluation/captionSample';
import { assembleReport } from '../../core/evaluation/assembleReport';
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
  const reportFolder = path.join(path.resolve(io.cwd, values.out ?? 'evaluations'), id);
  io.stderr.write(`eval: ${sample.length} of ${set.counts.imagesWithReferences} images with references (seed ${seed}), ${models.length} models\n`);

  const providers = cliProviders(settings, io.env, (line) => io.stderr.write(`eval: ${terminalText(line)}\n`));
  const captions = new Map<string, Map<string, ModelCaption>>();
  let cancelled = false;
  let failed = 0;
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
    clip: { why: 'The command line does not compute CLIP scores (the extension does, with its local CLIP model).' },
    genderWords: evaluation.genderWords,
    cancelled,
  });
  const file = await writeReport(reportFolder, report);
  const rows = report.models.map((m) => ({ model: m.modelId, scored: m.scored, failed: m.failed, bleu4: m.cocoBleu?.[3], nltkBleu4: m.nltkCorpusBleu?.[3], ciderD: m.ciderD, meanWords: m.meanWords, msPerImage: m.msPerImage, genderMismatchRate: m.bias.rate }));
  if (values.json) io.stdout.write(`${JSON.stringify({ report: file, models: rows })}\n`);
  else {
    const num = (v: number | undefined, digits = 4): string => (v === undefined ? '-' : v.toFixed(digits));
    io.stdout.write(`model\tscored\tfailed\tBLEU-4 (COCO)\tBLEU-4 (NLTK)\tCIDEr-D\twords\tms/image\tgender mismatch\n`);
    for (const r of rows) io.stdout.write(`${terminalText(r.model)}\t${r.scored}\t${r.failed}\t${num(r.bleu4)}\t${num(r.nltkBleu4)}\t${num(r.ciderD)}\t${num(r.meanWords, 1)}\t${num(r.msPerImage, 0)}\t${r.genderMismatchRate === undefined ? 'no gendered image' : num(r.genderMismatchRate, 3)}\n`);
    io.stdout.write(`report: ${file}\n`);
  }
  if (cancelled) return EXIT.interrupted;
  return failed > 0 ? EXIT.someFailed : EXIT.ok;
}
