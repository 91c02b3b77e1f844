/**
 * The shape of a model entry as written in settings.json: VS Code only underlines a wrong type, so an
 * entry that reaches the extension may hold anything. Checked here, field by field, before it is
 * used; the kinds follow the manifest's schema of `imageCaptioner.models`.
 */

/** A field that is not what it should be, and what it should be. */
export interface FieldProblem {
  /** Dotted path of the field: `baseUrl`, `rateLimit.concurrency`, `local.task`. */
  readonly field: string;
  readonly reason: string;
}

type Kind =
  /** Lengths are capped: a setting is no place for megabytes, and URL and name handling need not scale to them. */
  | { readonly type: 'string'; readonly maxLength: number }
  | { readonly type: 'boolean' }
  /** A request parameter: a string, a number or a boolean. */
  | { readonly type: 'param' }
  | { readonly type: 'number'; readonly min?: number; readonly max?: number; readonly integer?: boolean }
  | { readonly type: 'object'; readonly fields?: Readonly<Record<string, Kind>>; readonly values?: Kind };

const text: Kind = { type: 'string', maxLength: 2048 };
const longText: Kind = { type: 'string', maxLength: 64 * 1024 };
const flag: Kind = { type: 'boolean' };
const integer = (min: number, max?: number): Kind => ({ type: 'number', integer: true, min, max });

/** Every field an entry may have; others are left alone (a newer version may know them). */
const ENTRY_FIELDS: Readonly<Record<string, Kind>> = {
  id: text,
  label: text,
  preset: text,
  provider: text,
  baseUrl: text,
  nvcfBaseUrl: text,
  model: text,
  imageTransport: text,
  key: text,
  hfProvider: text,
  systemPrompt: longText,
  note: longText,
  maxImageSide: integer(64, 8192),
  maxInlineBase64: integer(1000),
  useAssets: flag,
  capabilities: { type: 'object', fields: { stream: flag, grounding: flag, images: integer(1, 16) } },
  defaults: { type: 'object', values: { type: 'param' } },
  rateLimit: { type: 'object', fields: { rpm: { type: 'number', min: 0 }, concurrency: integer(1, 64) } },
  extraBody: { type: 'object' },
  local: { type: 'object', fields: { task: text, dtype: text, batchSize: integer(1, 64) } },
  embedding: { type: 'object', fields: { images: flag, inputType: text, truncate: text, dimensions: integer(1, 65536), batchSize: integer(1, 2048) } },
};

/** The first field of `entry` whose value is of the wrong kind, or undefined when every field fits. */
export function fieldProblem(entry: Readonly<Record<string, unknown>>): FieldProblem | undefined {
  return checkFields(entry, ENTRY_FIELDS, '');
}

/** True for a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkFields(value: Readonly<Record<string, unknown>>, fields: Readonly<Record<string, Kind>>, prefix: string): FieldProblem | undefined {
  for (const [name, kind] of Object.entries(fields)) {
    if (value[name] === undefined) continue;
    const problem = check(value[name], kind, `${prefix}${name}`);
    if (problem) return problem;
  }
  return undefined;
}

function check(value: unknown, kind: Kind, field: string): FieldProblem | undefined {
  switch (kind.type) {
    case 'string':
      if (typeof value !== 'string') return { field, reason: 'must be a string' };
      return value.length <= kind.maxLength ? undefined : { field, reason: `must be at most ${kind.maxLength} characters long` };
    case 'boolean':
      return typeof value === 'boolean' ? undefined : { field, reason: 'must be true or false' };
    case 'param':
      return ['string', 'number', 'boolean'].includes(typeof value) ? undefined : { field, reason: 'must be a string, a number or true/false' };
    case 'number':
      return numberProblem(value, kind, field);
    case 'object': {
      if (!isObject(value)) return { field, reason: 'must be an object ({ … })' };
      if (kind.fields) return checkFields(value, kind.fields, `${field}.`);
      if (kind.values) {
        for (const [name, inner] of Object.entries(value)) {
          const problem = check(inner, kind.values, `${field}.${name}`);
          if (problem) return problem;
        }
      }
      return undefined;
    }
  }
}

function numberProblem(value: unknown, kind: Extract<Kind, { type: 'number' }>, field: string): FieldProblem | undefined {
  const what = kind.integer ? 'a whole number' : 'a number';
  const range = kind.max !== undefined ? ` from ${kind.min} to ${kind.max}` : kind.min !== undefined ? ` of at least ${kind.min}` : '';
  const fits = typeof value === 'number' && Number.isFinite(value) && (!kind.integer || Number.isInteger(value)) &&
    (kind.min === undefined || value >= kind.min) && (kind.max === undefined || value <= kind.max);
  return fits ? undefined : { field, reason: `must be ${what}${range}` };
}
