/**
 * What `image-captioner tag` does: the extension's tag batch (same settings reader, worker request by
 * path, merge of tags, journal) over a dataset folder. Loaded only when the command runs.
 */
import * as path from 'node:path';
import { deleteJournal } from '../../core/captioning/batchJournal';
import { runBatch } from '../../core/captioning/batchJob';
import { resumeBatch } from '../../core/captioning/batchResume';
import type { BatchItem, BatchRuntime, BatchSummary } from '../../core/captioning/batchTypes';
import { BATCH_MODES, BatchMode } from '../../core/captioning/captionMerge';
import { formatTags } from '../../core/edits/tagList';
import { batchSettingsFrom } from '../../core/settings/generationSettings';
import { layered, settingsFromMap } from '../../core/settings/settingsSource';
import { tagJobOf, taggerSettingsFrom } from '../../core/settings/taggerSettings';
import { mergeTagText } from '../../core/tagging/tagMerge';
import { tagNames } from '../../core/tagging/tagSelection';
import { MAX_IN_FLIGHT } from '../../providers/local/gatheringQueue';
import { isTagger } from '../../providers/local/localTagger';
import { batchOutput } from '../batchOutput';
import { CliError, CliIo, CliUsageError, EXIT, ExitCode } from '../cliCommand';
import { resolveModel } from '../cliModels';
import { cliProviders } from '../cliProviders';
import { choiceFlag, integerFlag, onePositional, parseCommandArgs } from '../commandArgs';
import { readConfigFile } from '../configFile';
import { datasetSettingsFromFlags } from '../datasetFlags';
import { loadDataset } from '../datasetLoad';
import { defaultStateDir, journalFolderFor, unfinishedJob } from './captionRun';
import { FLAGS } from './tagCommand';

/** Runs `image-captioner tag` (see tagCommand.ts for its flags). */
export async function runTag(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(args, FLAGS);
  const datasetArg = onePositional(positionals, 'DATASET folder');
  if (values.resume && values.restart) throw new CliError('--resume and --restart cannot be used together: pick one');
  const flags: Record<string, unknown> = {};
  if (values.mode !== undefined) flags['batch.mode'] = choiceFlag('mode', values.mode, BATCH_MODES);
  if (values.model !== undefined) flags['tagger.model'] = values.model;
  if (values['general-threshold'] !== undefined) flags['tagger.generalThreshold'] = scoreFlag('general-threshold', values['general-threshold']);
  if (values['character-threshold'] !== undefined) flags['tagger.characterThreshold'] = scoreFlag('character-threshold', values['character-threshold']);
  if (values.mcut) flags['tagger.mcut'] = true;
  if (values['include-rating']) flags['tagger.includeRating'] = true;
  if (values['max-tags'] !== undefined) flags['tagger.maxTags'] = integerFlag('max-tags', values['max-tags'], 0, 0, 10_000);
  if (values['trigger-word'] !== undefined) flags['tagger.triggerWord'] = values['trigger-word'];
  if (values.exclude !== undefined) flags['tagger.exclude'] = values.exclude.split(',');
  if (values['batch-size'] !== undefined) flags['tagger.batchSize'] = integerFlag('batch-size', values['batch-size'], 8, 1, 64);
  const settings = layered(settingsFromMap(flags), await readConfigFile(values.config, io.cwd));
  const tagger = taggerSettingsFrom(settings);
  // a CLI run refuses a value it cannot use rather than tagging with a default the user did not choose
  if (tagger.problems.length) throw new CliError(tagger.problems.join(' '));
  const batch = batchSettingsFrom(settings);
  const mode: BatchMode = batch.mode === 'ask' ? 'skip' : batch.mode;
  const model = resolveModel({ model: tagger.model }, settings);
  if (!isTagger(model)) throw new CliError(`${model.id} is not a WD tagger: pick one of "image-captioner models list" (local/wd-vit-tagger-v3, …) or an entry with "local": { "task": "wd-tagger" }`);

  const loaded = await loadDataset(datasetArg, datasetSettingsFromFlags(values), io.cwd, io.signal);
  const out = batchOutput(io, Boolean(values.json), (imagePath) => loaded.index.relativePath(imagePath) ?? path.basename(imagePath));
  for (const warning of loaded.warnings) out.note(warning);
  const items: BatchItem[] = loaded.images.filter((image) => !image.collision).map((image) => ({ imagePath: loaded.index.imagePath(image), captionPath: loaded.index.captionPath(image) }));
  // tag jobs keep journals apart from caption jobs of the same dataset
  const journalFolder = journalFolderFor(path.join(values['state-dir'] ?? defaultStateDir(io.env), 'tags'), loaded.index.rootPath, { index: 0, count: 1 });
  const unfinished = await unfinishedJob(journalFolder, out);
  if (unfinished && values.restart) {
    await deleteJournal(unfinished.file);
    out.note(`discarded the unfinished tag job of ${unfinished.created} (${unfinished.remaining} of ${unfinished.total} left)`);
  } else if (unfinished && !values.resume) {
    throw new CliError(`this dataset has an unfinished tag job from ${unfinished.created} (${unfinished.remaining} of ${unfinished.total} left): add --resume to finish it, or --restart to start over`);
  } else if (unfinished && unfinished.modelId !== model.id) {
    throw new CliError(`the unfinished tag job used model ${unfinished.modelId ?? '(unknown)'}: resume it with --model ${unfinished.modelId ?? '…'}, or --restart`);
  }
  const resuming = Boolean(unfinished && values.resume);
  const job = tagJobOf(resuming ? unfinished!.context : undefined, tagger);
  out.note(`tagging ${resuming ? `the ${unfinished!.remaining} images left of ${unfinished!.total}` : `${items.length} images`} with ${model.label} (${mode}; ${job.batchSize} images a request)`);
  const providers = cliProviders(settings, io.env, (line) => out.note(line));
  const boundary = loaded.index.boundary;
  const runtime: BatchRuntime = {
    boundary,
    concurrency: batch.concurrency > 0 ? batch.concurrency : job.batchSize * MAX_IN_FLIGHT,
    rpm: batch.rpm > 0 ? batch.rpm : undefined,
    signal: io.signal,
    merge: mergeTagText,
    generate: async (item, signal) => formatTags(tagNames(await providers.tagger.tag({ imagePath: await boundary.realFile(item.imagePath), model, options: job.options, batchSize: job.batchSize, signal })), ''),
    onItem: (outcome) => out.item(outcome),
    onProgress: (progress) => out.progress(progress),
  };
  let summary: BatchSummary;
  try {
    summary = resuming
      ? await resumeBatch(unfinished!.file, runtime)
      : await runBatch({ ...runtime, items, mode, journal: { folder: journalFolder, modelId: model.id, context: { cli: true, kind: 'tags', dataset: loaded.index.rootPath, tagOptions: job.options, tagBatchSize: job.batchSize } } });
  } finally {
    await providers.dispose();
  }
  out.summary(summary);
  if (summary.stopped) {
    out.note(`image-captioner tag: stopped after ${summary.stopped.failures} failed requests in a row (${summary.stopped.errorKind}): ${summary.stopped.reason}`);
    return EXIT.error;
  }
  if (summary.cancelled || summary.pending > 0) {
    out.note('interrupted: run the same command with --resume to finish (nothing written is tagged again)');
    return EXIT.interrupted;
  }
  return summary.failed > 0 ? EXIT.someFailed : EXIT.ok;
}

function scoreFlag(flag: string, value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number > 1) throw new CliUsageError(`--${flag} ${value}: expected a number from 0 to 1`);
  return number;
}
