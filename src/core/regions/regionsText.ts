/**
 * The regions sidecar as text: the one parser (problems come with their line and column, so an
 * editor can point at them) and the one formatter every writer uses.
 */
import { parse as parseWithLocations } from '@humanwhocodes/momoa';
import { ImportParseError } from '../import/importTypes';
import { parseJsonAt } from '../import/jsonErrors';
import type { Region, RegionsSidecar } from './regionsSidecar';
import { validateRegionShape } from './regionShapes';

export type RegionsParse =
  | { readonly ok: true; readonly sidecar: RegionsSidecar }
  | { readonly ok: false; readonly problem: RegionsProblemKind; readonly message: string; readonly line: number; readonly column: number };

/** Not JSON at all; JSON that is not a version 1 regions file; or one written by a newer version. */
export type RegionsProblemKind = 'syntax' | 'schema' | 'newer';

/** Parses and checks a sidecar's text: JSON syntax, version 1, the image size, and every region's fields and shape. */
export function parseRegionsText(text: string): RegionsParse {
  let parsed: unknown;
  try {
    parsed = parseJsonAt(text.replace(/^\uFEFF/, ''), 'regions');
  } catch (err) {
    if (err instanceof ImportParseError) return { ok: false, problem: 'syntax', message: err.detail.replace(/^JSON parse error: /, '').replace(/ \(position \d+\)$/, ''), line: err.line ?? 1, column: err.column ?? 1 };
    throw err;
  }
  const problem = findProblem(parsed);
  if (!problem) return { ok: true, sidecar: parsed as RegionsSidecar };
  const { line, column } = locate(text, problem.path);
  return { ok: false, problem: problem.newer ? 'newer' : 'schema', message: problem.message, line, column };
}

/** The text every writer of a sidecar writes: two-space JSON and a final newline. */
export function formatRegions(sidecar: RegionsSidecar): string {
  return `${JSON.stringify(sidecar, null, 2)}\n`;
}

interface Problem {
  readonly message: string;
  /** Where in the JSON: member names and array indices. */
  readonly path: ReadonlyArray<string | number>;
  readonly newer?: boolean;
}

function findProblem(value: unknown): Problem | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { message: 'a regions file is a JSON object', path: [] };
  const file = value as Record<string, unknown>;
  if (typeof file.version === 'number' && file.version > 1) {
    return { message: `it has regions version ${file.version}, newer than this Image Captioner reads (1); update the extension`, path: ['version'], newer: true };
  }
  if (file.version !== 1) return { message: '"version" must be 1', path: ['version'] };
  const image = file.image as Record<string, unknown> | undefined;
  if (typeof image !== 'object' || image === null || !isSize(image.width) || !isSize(image.height)) {
    return { message: '"image" must be {"width", "height"} in whole pixels', path: ['image'] };
  }
  if (!Array.isArray(file.regions)) return { message: '"regions" must be a list', path: ['regions'] };
  const ids = new Set<string>();
  for (let i = 0; i < file.regions.length; i++) {
    const message = regionProblem(file.regions[i], ids);
    if (message) return { message: `region ${i + 1}: ${message}`, path: ['regions', i] };
  }
  return undefined;
}

function regionProblem(value: unknown, ids: Set<string>): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'is not an object';
  const region = value as Region;
  if (typeof region.id !== 'string' || region.id === '') return '"id" must be a non-empty string';
  if (ids.has(region.id)) return `"id" ${JSON.stringify(region.id)} is used twice`;
  ids.add(region.id);
  for (const field of ['description', 'model', 'updated'] as const) {
    if (region[field] !== undefined && typeof region[field] !== 'string') return `"${field}" must be a string`;
  }
  if (region.label !== undefined && typeof region.label !== 'string') return '"label" must be a string';
  return validateRegionShape(region);
}

function isSize(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

/** Line and column (1-based) of the value at `path`, or of the nearest enclosing one found. */
function locate(text: string, path: ReadonlyArray<string | number>): { line: number; column: number } {
  let node: MomoaNode = parseWithLocations(text.replace(/^\uFEFF/, ''), { mode: 'json' }).body as MomoaNode;
  for (const step of path) {
    const next = typeof step === 'number'
      ? node.elements?.[step]?.value ?? node.elements?.[step]
      : node.members?.find((m) => m.name.value === step)?.value;
    if (!next) break;
    node = next as MomoaNode;
  }
  return { line: node.loc.start.line, column: node.loc.start.column };
}

interface MomoaNode {
  readonly loc: { readonly start: { readonly line: number; readonly column: number } };
  readonly members?: ReadonlyArray<{ readonly name: { readonly value: string }; readonly value: MomoaNode }>;
  readonly elements?: ReadonlyArray<MomoaNode & { readonly value?: MomoaNode }>;
}
