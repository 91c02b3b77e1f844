/** What `image-captioner import` does; loaded only when it runs, so `--help` stays quick. */
import * as path from 'node:path';
import { readCaptionSources } from '../../core/captions/readCaptions';
import { applyPlannedCaption } from '../../core/edits/applyPlannedCaption';
import { DETECT_BYTES, detectFormat } from '../../core/import/detectFormat';
import { IMPORT_FORMATS, ImportFormat } from '../../core/import/importTypes';
import { parseCaptionSource } from '../../core/import/parseCaptionSource';
import { CaptionChoice, IMPORT_CONFLICT_POLICIES, planImport } from '../../core/import/planImport';
import { readImportSource } from '../../core/import/sourceText';
import { CliError, CliIo, CliUsageError, EXIT, ExitCode } from '../cliCommand';
import { choiceFlag, onePositional, parseCommandArgs } from '../commandArgs';
import { datasetSettingsFromFlags } from '../datasetFlags';
import { loadDataset, relPathOf } from '../datasetLoad';
import { terminalText } from '../terminalText';
import { FLAGS } from './importCommand';

/** Runs `import` with its arguments (after the command name). */
export async function runImport(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(args, FLAGS);
  const dataset = onePositional(positionals, 'DATASET folder');
  if (values.from === undefined) throw new CliUsageError('missing --from FILE');
  const format = values.format === undefined ? undefined : choiceFlag<ImportFormat>('format', values.format, IMPORT_FORMATS);
  const which = captionChoice(values.captions);
  const conflict = choiceFlag('conflict', values.conflict, IMPORT_CONFLICT_POLICIES, 'skip');
  const loaded = await loadDataset(dataset, datasetSettingsFromFlags(values), io.cwd, io.signal);
  const { index } = loaded;
  for (const warning of loaded.warnings) io.stderr.write(`import: ${terminalText(warning)}\n`);

  const file = path.resolve(io.cwd, values.from);
  let parsed;
  try {
    const bytes = await readImportSource(file);
    const columns = { ...(values['image-column'] ? { imageColumn: values['image-column'] } : {}), ...(values['caption-column'] ? { captionColumn: values['caption-column'] } : {}) };
    parsed = parseCaptionSource(bytes, path.basename(file), { format: format ?? detectFormat(path.basename(file), bytes.subarray(0, DETECT_BYTES)), columns });
  } catch (err) {
    throw new CliError(`cannot import ${terminalText(file)}: ${terminalText((err as Error).message)}`);
  }
  const pairs = loaded.images.map((image) => ({ imagePath: index.imagePath(image), captionPath: index.captionPath(image), relPath: relPathOf(index, image) }));
  const { sources, failures } = await readCaptionSources(pairs, index.boundary, { signal: io.signal });
  if (io.signal.aborted) return EXIT.interrupted;
  const relPaths = new Map(pairs.map((p) => [p.imagePath, p.relPath] as const));
  const plan = planImport(parsed.records, sources.map((s) => ({ ...s, relPath: relPaths.get(s.imagePath)!, existing: s.text })), { which, conflict, matchStem: true });

  const rel = (captionPath: string): string => terminalText(index.relativePath(captionPath) ?? captionPath);
  for (const f of failures) io.stderr.write(`import: ${rel(f.captionPath)}: left alone, ${terminalText(f.message)}\n`);
  for (const u of plan.unmatched) io.stderr.write(`import: unmatched ${terminalText(u.image)}${u.line ? ` (line ${u.line})` : ''}: ${terminalText(u.reason)}\n`);
  for (const a of plan.ambiguous) io.stderr.write(`import: ambiguous ${terminalText(a.image)}${a.line ? ` (line ${a.line})` : ''}: could be ${a.candidates.map(terminalText).join(', ')}\n`);

  let written = 0;
  const changedMeanwhile: string[] = [];
  for (const write of plan.writes) {
    if (values['dry-run']) {
      io.stdout.write(`would write ${rel(write.captionPath)}\n`);
      continue;
    }
    if (io.signal.aborted) break;
    const outcome = await applyPlannedCaption(write.captionPath, (onDisk) => onDisk === write.before, write.after, index.boundary);
    if (!outcome.applied) {
      changedMeanwhile.push(write.captionPath);
      io.stderr.write(`import: ${rel(write.captionPath)}: changed on disk meanwhile, left alone\n`);
      continue;
    }
    written++;
    io.stdout.write(`wrote ${rel(write.captionPath)}\n`);
  }
  const unmatched = plan.unmatched.length + plan.ambiguous.length;
  const verb = values['dry-run'] ? 'would write' : 'wrote';
  io.stderr.write(
    `import: ${parsed.records.length} caption(s) read (${parsed.format}); ${verb} ${values['dry-run'] ? plan.writes.length : written} caption file(s)` +
      `, ${plan.unchanged} already as imported, ${plan.skippedExisting} kept their caption (--conflict ${conflict})` +
      `, ${plan.unmatched.length} row(s) unmatched, ${plan.ambiguous.length} ambiguous` +
      `${changedMeanwhile.length ? `, ${changedMeanwhile.length} changed meanwhile` : ''}${failures.length ? `, ${failures.length} unreadable` : ''}\n`,
  );
  if (io.signal.aborted) return EXIT.interrupted;
  return unmatched || changedMeanwhile.length || failures.length ? EXIT.someFailed : EXIT.ok;
}

/** `--captions first|all|N`. */
function captionChoice(value: string | undefined): CaptionChoice {
  if (value === undefined || value === 'first' || value === 'all') return value ?? 'first';
  if (/^\d+$/.test(value)) return Number(value);
  throw new CliUsageError(`--captions ${value}: expected first, all or a 0-based number`);
}
