/**
 * Recursive-descent parser for the filter language. Grammar, loosest first:
 *   query := or? ; or := and (("OR" | "|") and)* ; and := unary ("AND"? unary)*
 *   unary := ("NOT" | "-") unary | primary ; primary := "(" or ")" | term
 */
import { QuerySyntaxError } from './ast';
import type { Query, QueryNode } from './ast';
import { tokenize } from './tokenizer';
import type { Token } from './tokenizer';

/** Parses a query; throws `QuerySyntaxError` saying where it is wrong. Blank text matches everything. */
export function parseQuery(text: string): Query {
  const parser = new Parser(tokenize(text));
  return { source: text, root: parser.parseAll() };
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parseAll(): QueryNode | null {
    if (this.tokens.length === 0) return null;
    const root = this.parseOr();
    const extra = this.peek();
    if (extra) throw unexpected(extra, extra.type === 'rparen' ? ': there is no "(" to close' : '');
    return root;
  }

  private parseOr(after?: Token): QueryNode {
    const children = [this.parseAnd(after)];
    for (let op = this.peek(); op?.type === 'or'; op = this.peek()) {
      this.index++;
      children.push(this.parseAnd(op));
    }
    return combine('or', children);
  }

  private parseAnd(after?: Token): QueryNode {
    const children = [this.parseUnary(after)];
    for (let next = this.peek(); next; next = this.peek()) {
      if (next.type === 'and') {
        this.index++;
        children.push(this.parseUnary(next));
      } else if (next.type === 'term' || next.type === 'not' || next.type === 'lparen') {
        children.push(this.parseUnary());
      } else {
        break;
      }
    }
    return combine('and', children);
  }

  private parseUnary(after?: Token): QueryNode {
    const next = this.peek();
    if (next?.type !== 'not') return this.parsePrimary(after);
    this.index++;
    return { kind: 'not', operand: this.parseUnary(next) };
  }

  private parsePrimary(after?: Token): QueryNode {
    const next = this.peek();
    if (!next) {
      // Only reachable after an operator or "(": an empty query never gets here.
      const op = after as Token;
      throw new QuerySyntaxError(`Expected a term after "${op.text}" at position ${op.position}`, op.position, op.text.length);
    }
    this.index++;
    if (next.type === 'term') return next.node;
    if (next.type !== 'lparen') throw unexpected(next, '');
    const inner = this.parseOr(next);
    if (this.peek()?.type !== 'rparen') {
      throw new QuerySyntaxError(`Expected ")" to close "(" at position ${next.position}`, next.position, 1);
    }
    this.index++;
    return inner;
  }

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }
}

function unexpected(token: Token, detail: string): QuerySyntaxError {
  return new QuerySyntaxError(`Unexpected "${token.text}" at position ${token.position}${detail}`, token.position, token.text.length);
}

/** One child stays itself; nested nodes of the same kind are flattened, as AND and OR are associative. */
function combine(kind: 'and' | 'or', children: QueryNode[]): QueryNode {
  if (children.length === 1) return children[0];
  return { kind, children: children.flatMap((c) => (c.kind === kind ? c.children : [c])) };
}
