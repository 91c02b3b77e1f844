/** The typed syntax tree of a dataset filter query, and the error an invalid query raises. */
import type { CaptionStats } from '../captionStats';

/** Fields a term can name with `field:value`; `any` is a bare word (caption or file name); `caption2` is the second caption's text. */
export type TextField = 'any' | 'caption' | 'caption2' | 'name' | 'path' | 'tag';
export const FIELD_NAMES: readonly Exclude<TextField, 'any'>[] = ['caption', 'caption2', 'name', 'path', 'tag'];

/** Caption lengths a term can compare: characters, words, estimated CLIP tokens. */
export type Measure = 'chars' | 'words' | 'tokens';
export const MEASURES: readonly Measure[] = ['chars', 'words', 'tokens'];

export type ComparisonOperator = '>' | '>=' | '<' | '<=' | '=' | '!=';

export interface TextTerm {
  readonly kind: 'text';
  readonly field: TextField;
  /** As written (unescaped), not yet lower-cased. */
  readonly value: string;
}
export interface EmptyTerm {
  readonly kind: 'empty';
}
export interface CollisionTerm {
  readonly kind: 'collision';
}
export interface CompareTerm {
  readonly kind: 'compare';
  readonly measure: Measure;
  readonly operator: ComparisonOperator;
  readonly value: number;
}
/** `rating>=4`, `rating=0` (unrated), `rating:5`: the image's stars, 0 to 5. */
export interface RatingTerm {
  readonly kind: 'rating';
  readonly operator: ComparisonOperator;
  readonly value: number;
}
/** The highest rating: `rating>5` can never match, so it is refused as a typo. */
export const MAX_RATING = 5;
export type TermNode = TextTerm | EmptyTerm | CollisionTerm | CompareTerm | RatingTerm;

export interface NotNode {
  readonly kind: 'not';
  readonly operand: QueryNode;
}
export interface AndNode {
  readonly kind: 'and';
  readonly children: readonly QueryNode[];
}
export interface OrNode {
  readonly kind: 'or';
  readonly children: readonly QueryNode[];
}
export type QueryNode = TermNode | NotNode | AndNode | OrNode;

/** A parsed query; `root` is null for an empty query, which matches everything. */
export interface Query {
  readonly source: string;
  readonly root: QueryNode | null;
}

/** What a query is evaluated against: one image of the dataset. */
export interface QuerySubject {
  /** File name of the image. */
  readonly name: string;
  /** Image path relative to the dataset root, with '/' separators. */
  readonly relPath: string;
  /** Caption text; '' when there is none. */
  readonly caption: string;
  readonly hasCaptionFile: boolean;
  /** Second caption text (`imageCaptioner.secondCaption.extension`); '' or absent when there is none. */
  readonly secondCaption?: string;
  /** Another image shares this image's caption file name. */
  readonly collision: boolean;
  /** Stars from the dataset's ratings file, 0 (or absent) when unrated. */
  readonly rating?: number;
  /** `captionStats(caption)` when the caller already has it; computed on demand otherwise. */
  readonly captionStats?: CaptionStats;
}

/** An invalid query; `position` (0-based) and `length` mark the offending text. */
export class QuerySyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
    readonly length: number,
  ) {
    super(message);
    this.name = 'QuerySyntaxError';
  }
}
