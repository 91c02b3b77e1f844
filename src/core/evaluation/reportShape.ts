/**
 * Checks that a parsed JSON value has the shape of an EvaluationReport before anything reads it:
 * a report file sits in the workspace storage, but it can be cut off, edited or from a newer
 * version. The first problem found is thrown as a plain Error naming the field ("models[1].cocoBleu").
 */
import { EVALUATION_REPORT_VERSION, EvaluationReport } from './evaluationReport';

type Json = Record<string, unknown>;

/** A report id is also a folder name: letters, digits, '.', '_', '-', never '.' or '..'. */
export const REPORT_ID_PATTERN = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,128}$/;

/** Returns `value` typed as a report, or throws an Error that names the first field that is wrong. */
export function checkReportShape(value: unknown): EvaluationReport {
  const report = object(value, 'the report');
  if (report.version !== EVALUATION_REPORT_VERSION) {
    throw new Error(`version is ${JSON.stringify(report.version)}; this version of Image Captioner reads evaluation reports of version ${EVALUATION_REPORT_VERSION}`);
  }
  const id = string(report.id, 'id');
  if (!REPORT_ID_PATTERN.test(id)) throw new Error(`id ${JSON.stringify(id)} is not a report id (letters, digits, '.', '_' and '-')`);
  if (Number.isNaN(Date.parse(string(report.createdAt, 'createdAt')))) throw new Error('createdAt is not a date');
  string(report.datasetRoot, 'datasetRoot');
  referenceSource(report.references);
  referenceCounts(report.referenceCounts);
  count(report.sampleSize, 'sampleSize');
  number(report.seed, 'seed');
  if (report.tokenizer !== 'coco-ptb') throw new Error(`tokenizer is ${JSON.stringify(report.tokenizer)}, not "coco-ptb"`);
  optional(report.clipModel, 'clipModel', string);
  optional(report.clipUnavailable, 'clipUnavailable', string);
  if (typeof report.cancelled !== 'boolean') throw new Error('cancelled is not true or false');
  array(report.models, 'models').forEach((m, i) => modelSummary(m, `models[${i}]`));
  array(report.images, 'images').forEach((m, i) => image(m, `images[${i}]`));
  return value as EvaluationReport;
}

function referenceSource(value: unknown): void {
  const source = object(value, 'references');
  if (source.kind === 'sidecar') string(source.extension, 'references.extension');
  else if (source.kind === 'imported') {
    string(source.file, 'references.file');
    string(source.format, 'references.format');
  } else throw new Error(`references.kind is ${JSON.stringify(source.kind)}, not "sidecar" or "imported"`);
}

function referenceCounts(value: unknown): void {
  const counts = object(value, 'referenceCounts');
  for (const key of ['imagesWithReferences', 'imagesWithoutReferences', 'referencesWithoutImage', 'emptyReferences']) {
    count(counts[key], `referenceCounts.${key}`);
  }
  array(counts.unreadable, 'referenceCounts.unreadable').forEach((entry, i) => {
    const e = object(entry, `referenceCounts.unreadable[${i}]`);
    string(e.path, `referenceCounts.unreadable[${i}].path`);
    string(e.reason, `referenceCounts.unreadable[${i}].reason`);
  });
}

function modelSummary(value: unknown, at: string): void {
  const m = object(value, at);
  string(m.modelId, `${at}.modelId`);
  string(m.label, `${at}.label`);
  for (const key of ['scored', 'failed', 'emptyCaptions']) count(m[key], `${at}.${key}`);
  optional(m.cocoBleu, `${at}.cocoBleu`, bleu);
  optional(m.nltkCorpusBleu, `${at}.nltkCorpusBleu`, bleu);
  for (const key of ['ciderD', 'clipScore', 'meanWords', 'msPerImage']) optional(m[key], `${at}.${key}`, number);
  bias(m.bias, `${at}.bias`);
}

function bias(value: unknown, at: string): void {
  const b = object(value, at);
  for (const key of ['gendered', 'misclassified', 'correct', 'neutral', 'namedBoth']) count(b[key], `${at}.${key}`);
  optional(b.rate, `${at}.rate`, number);
  array(b.mismatches, `${at}.mismatches`).forEach((entry, i) => {
    const e = object(entry, `${at}.mismatches[${i}]`);
    string(e.path, `${at}.mismatches[${i}].path`);
    oneOf(e.expected, ['male', 'female'], `${at}.mismatches[${i}].expected`);
    oneOf(e.named, ['male', 'female', 'both'], `${at}.mismatches[${i}].named`);
    array(e.wrongWords, `${at}.mismatches[${i}].wrongWords`).forEach((w, j) => string(w, `${at}.mismatches[${i}].wrongWords[${j}]`));
  });
}

function image(value: unknown, at: string): void {
  const img = object(value, at);
  string(img.path, `${at}.path`);
  array(img.references, `${at}.references`).forEach((r, i) => string(r, `${at}.references[${i}]`));
  for (const [id, caption] of Object.entries(object(img.captions, `${at}.captions`))) {
    const c = object(caption, `${at}.captions[${JSON.stringify(id)}]`);
    optional(c.text, `${at}.captions[${JSON.stringify(id)}].text`, string);
    optional(c.error, `${at}.captions[${JSON.stringify(id)}].error`, string);
    optional(c.elapsedMs, `${at}.captions[${JSON.stringify(id)}].elapsedMs`, number);
  }
  for (const [id, scores] of Object.entries(object(img.scores, `${at}.scores`))) {
    const where = `${at}.scores[${JSON.stringify(id)}]`;
    const s = object(scores, where);
    bleu(s.cocoBleu, `${where}.cocoBleu`);
    number(s.nltkBleu4, `${where}.nltkBleu4`);
    number(s.ciderD, `${where}.ciderD`);
    optional(s.clipScore, `${where}.clipScore`, number);
  }
}

function object(value: unknown, at: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${at} is not an object`);
  return value as Json;
}

function array(value: unknown, at: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new Error(`${at} is not a list`);
  return value;
}

function string(value: unknown, at: string): string {
  if (typeof value !== 'string') throw new Error(`${at} is not a string`);
  return value;
}

function number(value: unknown, at: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${at} is not a number`);
  return value;
}

function count(value: unknown, at: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) throw new Error(`${at} is not a whole number ≥ 0`);
  return value as number;
}

function bleu(value: unknown, at: string): void {
  if (!Array.isArray(value) || value.length !== 4 || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new Error(`${at} is not four numbers (BLEU-1..4)`);
  }
}

function oneOf(value: unknown, allowed: readonly string[], at: string): void {
  if (typeof value !== 'string' || !allowed.includes(value)) throw new Error(`${at} is not one of ${allowed.join(', ')}`);
}

function optional(value: unknown, at: string, check: (v: unknown, at: string) => unknown): void {
  if (value !== undefined) check(value, at);
}
