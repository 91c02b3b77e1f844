/** Prints a query in normalized form: upper-case operators, explicit AND, parentheses showing precedence. */
import type { Query, QueryNode, TextTerm } from './ast';
import { tokenize } from './tokenizer';

/** Normalized text of the query ('' for an empty one); parsing it again gives the same tree. */
export function describeQuery(query: Query): string {
  return query.root ? describeNode(query.root) : '';
}

function describeNode(node: QueryNode): string {
  switch (node.kind) {
    case 'and':
      return node.children.map((c) => (c.kind === 'or' ? `(${describeNode(c)})` : describeNode(c))).join(' AND ');
    case 'or':
      return node.children.map((c) => (c.kind === 'and' ? `(${describeNode(c)})` : describeNode(c))).join(' OR ');
    case 'not':
      return node.operand.kind === 'and' || node.operand.kind === 'or'
        ? `NOT (${describeNode(node.operand)})`
        : `NOT ${describeNode(node.operand)}`;
    case 'empty':
    case 'collision':
      return node.kind;
    case 'compare':
      return `${node.measure}${node.operator}${node.value}`;
    case 'rating':
      return `rating${node.operator}${node.value}`;
    case 'text':
      return describeText(node);
  }
}

function describeText(node: TextTerm): string {
  const prefix = node.field === 'any' ? '' : `${node.field}:`;
  const bare = `${prefix}${node.value}`;
  return readsBackAs(bare, node) ? bare : `${prefix}"${node.value.replace(/[\\"]/g, '\\$&')}"`;
}

/** Whether unquoted text tokenizes back to the same single term (not a keyword, field or comparison). */
function readsBackAs(text: string, node: TextTerm): boolean {
  if (/[\s()|"]/u.test(text)) return false;
  try {
    const tokens = tokenize(text);
    const only = tokens[0];
    return tokens.length === 1 && only.type === 'term' && only.node.kind === 'text' && only.node.field === node.field && only.node.value === node.value;
  } catch {
    return false;
  }
}
