/**
 * What `image-captioner caption` does: the same settings readers, request assembly, batch engine and
 * journal as the extension; `--shard I/N` splits a dataset across processes with no coordination and
 * `--resume` finishes what a killed or preempted run left. Loaded only when the command runs.
 */
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { runBatch } from '../../core/captioning/batchJob';
import { deleteJournal, listJournals, JournalSummary } from '../../core/captioning/batchJournal';
import { resumeBatch } from '../../core/captioning/batchResume';
import type { BatchItem, BatchRuntime, BatchSummary } from '../../core/captioning/batchTypes';
import { BATCH_MODES, BatchMode } from '../../core/captioning/captionMerge';
import type { ShardSpec } from '../../core/dataset/shardOf';
import { CaptionTarget, targetCaptionPath } from '../../core/dataset/captionTarget';
import { pathTaken } from '../../core/files/pathTaken';
import { batchSettingsFrom, generationSettingsFrom } from '../../core/settings/generationSettings';
import { layered, settingsFromMap } from '../../core/settings/settingsSource';
import { batchLimits, describeLimits } from '../../providers/batchLimits';
import { isTagger } from '../../providers/local/localTagger';
import type { ModelEntry } from '../../providers/types';
import { batchOutput } from '../batchOutput';
import { CliError, CliIo, EXIT, ExitCode } from '../cliCommand';
import { choiceFlag, integerFlag, onePositional, parseCommandArgs, shardFlag } from '../commandArgs';
import { cliProviders } from '../cliProviders';
import { cliRequester } from '../cliRequest';
import { resolveKey, resolveModel } from '../cliModels';
import { readConfigFile } from '../configFile';
import { datasetSettingsFromFlags } from '../datasetFlags';
import { imagesOfShard, loadDataset, LoadedDataset } from '../datasetLoad';
import { FLAGS } from './captionCommand';

/** Runs `image-captioner caption` (see captionCommand.ts for its flags). */
export async function runCaption(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(args, FLAGS);
  const datasetArg = onePositional(positionals, 'DATASET folder');
  const shard = shardFlag(values.shard);
  if (values.resume && values.restart) throw new CliError('--resume and --restart cannot be used together: pick one');
  const target = choiceFlag<CaptionTarget>('target', values.target, ['caption', 'second'], 'caption');
  const flagSettings: Record<string, unknown> = {};
  if (values.mode !== undefined) flagSettings['batch.mode'] = choiceFlag('mode', values.mode, BATCH_MODES);
  if (values.concurrency !== undefined) flagSettings['batch.concurrency'] = integerFlag('concurrency', values.concurrency, 0, 1, 1024);
  if (values.rpm !== undefined) flagSettings['batch.requestsPerMinute'] = integerFlag('rpm', values.rpm, 0, 1, 1_000_000);
  const settings = layered(settingsFromMap(flagSettings), await readConfigFile(values.config, io.cwd));
  const generation = generationSettingsFrom(settings);
  if (generation.paramsError) throw new CliError(generation.paramsError);
  const batch = batchSettingsFrom(settings);
  const mode: BatchMode = batch.mode === 'ask' ? 'skip' : batch.mode;
  const model = resolveModel({ model: values.model, baseUrl: values['base-url'] }, settings);
  if (isTagger(model)) throw new CliError(`${model.id} is a WD tagger: tag with "image-captioner tag ${datasetArg} --model ${model.id}"`);
  const apiKey = resolveKey(model, io.env, values['key-env'], values['base-url'] !== undefined);

  const loaded = await loadDataset(datasetArg, datasetSettingsFromFlags(values), io.cwd, io.signal);
  const out = batchOutput(io, Boolean(values.json), (imagePath) => loaded.index.relativePath(imagePath) ?? path.basename(imagePath));
  for (const warning of loaded.warnings) out.note(warning);
  if (target === 'second' && !loaded.index.options.secondCaptionExtension) throw new CliError('--target second writes the second caption: name its extension with --second-caption-extension (e.g. .tags.txt)');
  const items = itemsOf(loaded, shard, target);
  const journalFolder = journalFolderFor(values['state-dir'] ?? defaultStateDir(io.env), loaded.index.rootPath, shard);
  const limits = batchLimits(batch, model);

  if (values['dry-run']) return dryRun(io, out, loaded, items, model, mode, shard, Boolean(values.json), target);
  const unfinished = await unfinishedJob(journalFolder, out);
  if (unfinished && values.restart) {
    await deleteJournal(unfinished.file);
    out.note(`discarded the unfinished job of ${unfinished.created} (${unfinished.remaining} of ${unfinished.total} left)`);
  } else if (unfinished && !values.resume) {
    throw new CliError(`this dataset shard has an unfinished job from ${unfinished.created} (${unfinished.remaining} of ${unfinished.total} left): add --resume to finish it, or --restart to start over`);
  } else if (unfinished && unfinished.modelId !== model.id) {
    throw new CliError(`the unfinished job of this shard used model ${unfinished.modelId ?? '(unknown)'}: resume it with --model ${unfinished.modelId ?? '…'}, or --restart`);
  }
  if (items.length === 0 && !unfinished) {
    out.note(`shard ${shard.index}/${shard.count} holds no image of this dataset: nothing to do`);
    return EXIT.ok;
  }

  out.note(`captioning ${unfinished && values.resume ? `the ${unfinished.remaining} images left of ${unfinished.total}` : `${items.length} images`} with ${model.label} (${mode}; ${describeLimits(limits)})`);
  const providers = cliProviders(settings, io.env, (line) => out.note(line));
  const request = cliRequester(loaded, model, providers.factory.get(model.provider), apiKey, generation);
  let anyWritten = false;
  const heldFailures: string[] = [];
  const runtime: BatchRuntime = {
    boundary: loaded.index.boundary,
    concurrency: limits.concurrency,
    rpm: limits.rpm,
    signal: io.signal,
    generate: async (item, signal) => (await request(item.imagePath, item.captionPath, signal)).text,
    onItem: (outcome) => {
      // Until one request succeeds, failures are held: a server that is down gives one line (the stop), not one per image.
      if (outcome.kind === 'written') {
        if (!anyWritten) for (const line of heldFailures.splice(0)) out.note(line);
        anyWritten = true;
      }
      if (outcome.kind === 'failed' && !anyWritten && !values.json) {
        heldFailures.push(`failed: ${loaded.index.relativePath(outcome.item.imagePath) ?? outcome.item.imagePath}: ${outcome.reason}`);
        return;
      }
      out.item(outcome);
    },
    onProgress: (progress) => out.progress(progress),
  };
  let summary: BatchSummary;
  try {
    summary =
      unfinished && values.resume
        ? await resumeBatch(unfinished.file, runtime)
        : await runBatch({ ...runtime, items, mode, journal: { folder: journalFolder, modelId: model.id, context: { cli: true, dataset: loaded.index.rootPath, shard, mode, target } } });
  } finally {
    await providers.dispose();
  }
  out.summary(summary);
  return exitCodeOf(summary, out, heldFailures);
}

/** The shard's images and the files their captions go to (`target`), in dataset order. */
function itemsOf(loaded: LoadedDataset, shard: ShardSpec, target: CaptionTarget): BatchItem[] {
  return imagesOfShard(loaded, shard).map((image) => ({ imagePath: loaded.index.imagePath(image), captionPath: targetCaptionPath(loaded.index, image, target) }));
}

/** `$XDG_STATE_HOME/image-captioner`, else `~/.local/state/image-captioner`. */
export function defaultStateDir(env: NodeJS.ProcessEnv): string {
  return path.join(env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state'), 'image-captioner');
}

/** One folder per dataset and shard, so N shard processes never share a journal and each finds its own on --resume. */
export function journalFolderFor(stateDir: string, datasetRoot: string, shard: ShardSpec): string {
  const dataset = createHash('sha256').update(datasetRoot, 'utf8').digest('hex').slice(0, 16);
  return path.join(path.resolve(stateDir), 'journals', `${path.basename(datasetRoot).replace(/[^\w.-]+/g, '_').slice(0, 40)}-${dataset}`, `shard-${shard.index}-of-${shard.count}`);
}

/** The newest unfinished job of the folder (journals that cannot be read are named and left alone). */
export async function unfinishedJob(folder: string, out: ReturnType<typeof batchOutput>): Promise<JournalSummary | undefined> {
  const { jobs, unreadable } = await listJournals(folder).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return { jobs: [], unreadable: [] };
    throw err;
  });
  for (const journal of unreadable) out.note(`left alone, cannot be resumed: ${journal.reason}`);
  return jobs[0];
}

function exitCodeOf(summary: BatchSummary, out: ReturnType<typeof batchOutput>, heldFailures: readonly string[]): ExitCode {
  if (summary.stopped) {
    out.note(`image-captioner caption: stopped after ${summary.stopped.failures} failed requests in a row (${summary.stopped.errorKind}): ${summary.stopped.reason}`);
    return EXIT.error;
  }
  for (const line of heldFailures) out.note(line);
  if (summary.cancelled || summary.pending > 0) {
    out.note('interrupted: run the same command with --resume to finish (nothing written is requested again)');
    return EXIT.interrupted;
  }
  return summary.failed > 0 ? EXIT.someFailed : EXIT.ok;
}

async function dryRun(io: CliIo, out: ReturnType<typeof batchOutput>, loaded: LoadedDataset, items: readonly BatchItem[], model: ModelEntry, mode: BatchMode, shard: ShardSpec, json: boolean, target: CaptionTarget): Promise<ExitCode> {
  const captioned = new Set(loaded.images.filter((image) => image.captionState !== 'none').map((image) => loaded.index.imagePath(image)));
  // The index knows caption files; second captions are looked for on disk.
  const withCaption = target === 'caption' ? items.filter((item) => captioned.has(item.imagePath)).length : (await Promise.all(items.map((item) => pathTaken(item.captionPath)))).filter(Boolean).length;
  const toSend = mode === 'skip' ? items.length - withCaption : items.length;
  const line = { event: 'dry-run', dataset: loaded.index.rootPath, shard: `${shard.index}/${shard.count}`, model: model.id, mode, images: items.length, withCaption, wouldSend: toSend };
  if (json) io.stdout.write(`${JSON.stringify(line)}\n`);
  else out.note(`dry run: ${items.length} images in shard ${line.shard}, ${withCaption} with a caption file; mode ${mode} would send ${toSend} requests to ${model.label}. Nothing was sent or written.`);
  return EXIT.ok;
}
