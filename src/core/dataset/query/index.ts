/** The dataset filter language: `dog -tag:blurry (name:*_v2* OR path:cats/) tokens>75`. */
export { QuerySyntaxError, FIELD_NAMES, MAX_RATING, MEASURES } from './ast';
export type {
  AndNode,
  CollisionTerm,
  CompareTerm,
  ComparisonOperator,
  EmptyTerm,
  Measure,
  NotNode,
  OrNode,
  Query,
  QueryNode,
  QuerySubject,
  RatingTerm,
  TermNode,
  TextField,
  TextTerm,
} from './ast';
export { parseQuery } from './parser';
export { compileQuery, matchesQuery, queryNeedsCaptions, queryNeedsSecondCaptions } from './evaluator';
export type { SubjectPredicate } from './evaluator';
export { describeQuery } from './describe';
