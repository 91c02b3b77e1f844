/** Compiles a query's tree once into a predicate over subjects; per subject, work is done lazily. */
import type { ComparisonOperator, Measure, Query, QueryNode, QuerySubject, TextTerm } from './ast';
import { captionCharacters, captionStats, type CaptionStats } from '../captionStats';
import { foldCase, nameTest, pathTest, substringTest, tagTest } from './textMatchers';

export type SubjectPredicate = (subject: QuerySubject) => boolean;

/** True when `subject` matches; the query is compiled on first use and cached. */
export function matchesQuery(query: Query, subject: QuerySubject): boolean {
  let predicate = compiled.get(query);
  if (!predicate) compiled.set(query, (predicate = compileQuery(query)));
  return predicate(subject);
}
const compiled = new WeakMap<Query, SubjectPredicate>();

/** The query as a reusable predicate, for loops over many subjects. */
export function compileQuery(query: Query): SubjectPredicate {
  if (!query.root) return () => true;
  const test = compileNode(query.root).test;
  return (subject) => test(new SubjectFacts(subject));
}

/** False when the query looks only at names, paths, collisions, ratings and second captions, so captions need not be read. */
export function queryNeedsCaptions(query: Query): boolean {
  return query.root !== null && needsCaptions(query.root);
}

/** True when the query has a `caption2:` term, so second captions must be read. */
export function queryNeedsSecondCaptions(query: Query): boolean {
  const visit = (node: QueryNode): boolean =>
    node.kind === 'and' || node.kind === 'or' ? node.children.some(visit) : node.kind === 'not' ? visit(node.operand) : node.kind === 'text' && node.field === 'caption2';
  return query.root !== null && visit(query.root);
}

function needsCaptions(node: QueryNode): boolean {
  switch (node.kind) {
    case 'and':
    case 'or':
      return node.children.some(needsCaptions);
    case 'not':
      return needsCaptions(node.operand);
    case 'text':
      return node.field !== 'name' && node.field !== 'path' && node.field !== 'caption2';
    case 'collision':
    case 'rating':
      return false;
    case 'empty':
    case 'compare':
      return true;
  }
}

/** A subject's derived texts, each computed at most once and only when a term asks for it. */
class SubjectFacts {
  private foldedName?: string;
  private foldedPath?: string;
  private foldedCaption?: string;
  private foldedSecondCaption?: string;
  private characters?: number;
  private stats?: CaptionStats;

  constructor(readonly subject: QuerySubject) {}

  get name(): string {
    return (this.foldedName ??= foldCase(this.subject.name));
  }
  get path(): string {
    return (this.foldedPath ??= foldCase(this.subject.relPath));
  }
  get caption(): string {
    return (this.foldedCaption ??= foldCase(this.subject.caption));
  }
  get secondCaption(): string {
    return (this.foldedSecondCaption ??= foldCase(this.subject.secondCaption ?? ''));
  }
  measure(measure: Measure): number {
    if (measure === 'chars') return (this.characters ??= this.subject.captionStats?.characters ?? captionCharacters(this.subject.caption));
    const stats = (this.stats ??= this.subject.captionStats ?? captionStats(this.subject.caption));
    return measure === 'words' ? stats.words : stats.clipTokens;
  }
}

type FactsTest = (facts: SubjectFacts) => boolean;
/** `cost` orders the children of AND / OR so that cheap tests can short-circuit expensive ones. */
interface CompiledNode {
  readonly test: FactsTest;
  readonly cost: number;
}

function compileNode(node: QueryNode): CompiledNode {
  switch (node.kind) {
    case 'and':
    case 'or': {
      const parts = node.children.map(compileNode).sort((a, b) => a.cost - b.cost);
      const tests = parts.map((p) => p.test);
      const cost = parts.reduce((sum, p) => sum + p.cost, 0);
      return { cost, test: node.kind === 'and' ? allOf(tests) : anyOf(tests) };
    }
    case 'not': {
      const operand = compileNode(node.operand);
      return { cost: operand.cost, test: (f) => !operand.test(f) };
    }
    case 'collision':
      return { cost: 0, test: (f) => f.subject.collision };
    case 'empty':
      return { cost: 1, test: (f) => !f.subject.hasCaptionFile || f.subject.caption.trim() === '' };
    case 'compare': {
      const { measure, value } = node;
      const compare = COMPARE[node.operator];
      return { cost: 8, test: (f) => compare(f.measure(measure), value) };
    }
    case 'rating': {
      const { value } = node;
      const compare = COMPARE[node.operator];
      return { cost: 0, test: (f) => compare(f.subject.rating ?? 0, value) };
    }
    case 'text':
      return compileText(node);
  }
}

function compileText(node: TextTerm): CompiledNode {
  switch (node.field) {
    case 'any': {
      const test = substringTest(node.value);
      return { cost: 3, test: (f) => test(f.caption) || test(f.name) };
    }
    case 'caption': {
      const test = substringTest(node.value);
      return { cost: 2, test: (f) => test(f.caption) };
    }
    case 'caption2': {
      const test = substringTest(node.value);
      return { cost: 2, test: (f) => test(f.secondCaption) };
    }
    case 'name': {
      const test = nameTest(node.value);
      return { cost: 1, test: (f) => test(f.name) };
    }
    case 'path': {
      const test = pathTest(node.value);
      return { cost: 1, test: (f) => test(f.path) };
    }
    case 'tag': {
      const test = tagTest(node.value);
      return { cost: 3, test: (f) => test(f.caption) };
    }
  }
}

// Plain loops: `tests.every((t) => t(f))` would allocate a closure per subject.
function allOf(tests: readonly FactsTest[]): FactsTest {
  return (facts) => {
    for (const test of tests) if (!test(facts)) return false;
    return true;
  };
}

function anyOf(tests: readonly FactsTest[]): FactsTest {
  return (facts) => {
    for (const test of tests) if (test(facts)) return true;
    return false;
  };
}

const COMPARE: Readonly<Record<ComparisonOperator, (actual: number, expected: number) => boolean>> = {
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '=': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};
