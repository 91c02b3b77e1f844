import { strict as assert } from 'node:assert';
import { QuerySyntaxError, describeQuery, parseQuery } from '../../src/core/dataset/query';
import type { QueryNode, TextField } from '../../src/core/dataset/query';

const word = (value: string, field: TextField = 'any'): QueryNode => ({ kind: 'text', field, value });
const and = (...children: QueryNode[]): QueryNode => ({ kind: 'and', children });
const or = (...children: QueryNode[]): QueryNode => ({ kind: 'or', children });
const not = (operand: QueryNode): QueryNode => ({ kind: 'not', operand });
const root = (text: string) => parseQuery(text).root;

describe('parseQuery: structure and precedence', () => {
  it('parses blank text as the empty query', () => {
    assert.equal(root(''), null);
    assert.equal(root('  \t '), null);
    assert.equal(parseQuery('  ').source, '  ');
  });

  it('joins adjacent terms with an implicit AND', () => {
    assert.deepEqual(root('red car'), and(word('red'), word('car')));
    assert.deepEqual(root('red AND car'), and(word('red'), word('car')));
  });

  it('binds AND tighter than OR: a OR b c = a OR (b AND c)', () => {
    assert.deepEqual(root('a OR b c'), or(word('a'), and(word('b'), word('c'))));
    assert.deepEqual(root('a b OR c'), or(and(word('a'), word('b')), word('c')));
    assert.deepEqual(root('a | b AND c'), or(word('a'), and(word('b'), word('c'))));
  });

  it('binds NOT tighter than AND and OR', () => {
    assert.deepEqual(root('NOT a b'), and(not(word('a')), word('b')));
    assert.deepEqual(root('a OR NOT b'), or(word('a'), not(word('b'))));
    assert.deepEqual(root('-a -b'), and(not(word('a')), not(word('b'))));
    assert.deepEqual(root('NOT NOT a'), not(not(word('a'))));
  });

  it('lets parentheses override precedence, and NOT apply to a group', () => {
    assert.deepEqual(root('(a OR b) c'), and(or(word('a'), word('b')), word('c')));
    assert.deepEqual(root('-(a | b)'), not(or(word('a'), word('b'))));
    assert.deepEqual(root('((a))'), word('a'));
  });

  it('flattens chains of the same operator', () => {
    assert.deepEqual(root('a b (c d)'), and(word('a'), word('b'), word('c'), word('d')));
    assert.deepEqual(root('a OR (b | c)'), or(word('a'), word('b'), word('c')));
  });

  it('reads keywords in any case, and | without spaces', () => {
    assert.deepEqual(root('a or b'), or(word('a'), word('b')));
    assert.deepEqual(root('a|b'), or(word('a'), word('b')));
    assert.deepEqual(root('not a And b'), and(not(word('a')), word('b')));
  });

  it('keeps a hyphen inside a word', () => {
    assert.deepEqual(root('well-lit x-ray'), and(word('well-lit'), word('x-ray')));
  });
});

describe('parseQuery: terms', () => {
  it('keeps a quoted phrase together, with its keywords as text', () => {
    assert.deepEqual(root('"red car" night'), and(word('red car'), word('night')));
    assert.deepEqual(root('"NOT" "a OR b"'), and(word('NOT'), word('a OR b')));
    assert.deepEqual(root('-"red car"'), not(word('red car')));
  });

  it('unescapes backslashes inside quotes', () => {
    assert.deepEqual(root('"say \\"hi\\""'), word('say "hi"'));
    assert.deepEqual(root('"back\\\\slash"'), word('back\\slash'));
    assert.deepEqual(root('"\\x"'), word('x'));
    assert.deepEqual(root('caption:"a \\"b\\""'), word('a "b"', 'caption'));
  });

  it('reads every field, with a bare or a quoted value, the field name in any case', () => {
    assert.deepEqual(root('caption:"red car"'), word('red car', 'caption'));
    assert.deepEqual(root('caption:word'), word('word', 'caption'));
    assert.deepEqual(root('name:*_v2*'), word('*_v2*', 'name'));
    assert.deepEqual(root('path:cats/'), word('cats/', 'path'));
    assert.deepEqual(root('TAG:dog'), word('dog', 'tag'));
    assert.deepEqual(root('name:OR'), word('OR', 'name'), 'a field value is never a keyword');
    assert.deepEqual(root('12:30'), word('12:30'), 'digits before a colon are not a field');
  });

  it('reads empty and collision as terms', () => {
    assert.deepEqual(root('empty OR Collision'), or({ kind: 'empty' }, { kind: 'collision' }));
  });

  it('reads comparisons with every operator, with or without spaces', () => {
    const ops = ['>', '>=', '<', '<=', '=', '!='] as const;
    for (const operator of ops) {
      assert.deepEqual(root(`chars${operator}200`), { kind: 'compare', measure: 'chars', operator, value: 200 });
    }
    assert.deepEqual(root('words < 5'), { kind: 'compare', measure: 'words', operator: '<', value: 5 });
    assert.deepEqual(root('(TOKENS>75)'), { kind: 'compare', measure: 'tokens', operator: '>', value: 75 });
    assert.deepEqual(root('charset'), word('charset'), 'a word that only starts with a measure is text');
  });

  it('reads non-ASCII words', () => {
    assert.deepEqual(root('café 日本 tag:猫'), and(word('café'), word('日本'), word('猫', 'tag')));
  });
});

describe('parseQuery: errors say where', () => {
  const cases: [query: string, message: string, position: number, length: number][] = [
    ['a (b c', 'Expected ")" to close "(" at position 2', 2, 1],
    ['a ((b) c', 'Expected ")" to close "(" at position 2', 2, 1],
    ['(', 'Expected a term after "(" at position 0', 0, 1],
    [' colour:red', 'Unknown field "colour:" at position 1 (fields: caption, caption2, name, path, tag)', 1, 7],
    ['cat  chars', '"chars" needs a comparison like chars>200 (position 5)', 5, 5],
    ['chars:5', '"chars" needs a comparison like chars>200 (position 0)', 0, 5],
    ['Words about', '"Words" needs a comparison like words>200 (position 0)', 0, 5],
    ['tokens>', 'Expected a whole number after "tokens>" at position 0', 0, 7],
    ['x chars>=1.5', 'Expected a whole number after "chars>=" at position 2', 2, 10],
    ['OR a', 'Unexpected "OR" at position 0', 0, 2],
    ['a OR or b', 'Unexpected "or" at position 5', 5, 2],
    ['a AND', 'Expected a term after "AND" at position 2', 2, 3],
    ['a |', 'Expected a term after "|" at position 2', 2, 1],
    ['NOT', 'Expected a term after "NOT" at position 0', 0, 3],
    ['a)', 'Unexpected ")" at position 1: there is no "(" to close', 1, 1],
    ['()', 'Unexpected ")" at position 1', 1, 1],
    ['a - b', 'Expected a term right after "-" at position 2', 2, 1],
    ['dog "red car', 'Expected a closing \'"\' for the quote at position 4', 4, 8],
    ['"ends with\\"', 'Expected a closing \'"\' for the quote at position 0', 0, 12],
    ['a ""', 'Expected text between the quotes at position 2', 2, 2],
    ['name: x', 'Expected a value after "name:" at position 0', 0, 5],
    ['tag:"dog', 'Expected a closing \'"\' for the quote at position 4', 4, 4],
  ];
  for (const [query, message, position, length] of cases) {
    it(`rejects ${JSON.stringify(query)}`, () => {
      assert.throws(
        () => parseQuery(query),
        (e: unknown) => {
          assert.ok(e instanceof QuerySyntaxError);
          assert.deepEqual({ message: e.message, position: e.position, length: e.length }, { message, position, length });
          return true;
        },
      );
    });
  }
});

describe('describeQuery', () => {
  it('prints operators in upper case with explicit AND and precedence parentheses', () => {
    assert.equal(describeQuery(parseQuery('a or b c')), 'a OR (b AND c)');
    assert.equal(describeQuery(parseQuery('-(a|b) Empty')), 'NOT (a OR b) AND empty');
    assert.equal(describeQuery(parseQuery('chars >= 3 tag:dog')), 'chars>=3 AND tag:dog');
    assert.equal(describeQuery(parseQuery('')), '');
  });

  it('quotes text that would otherwise read as something else', () => {
    assert.equal(describeQuery(parseQuery('"red car" "or" "-x" "chars" "a:b"')), '"red car" AND "or" AND "-x" AND "chars" AND "a:b"');
    assert.equal(describeQuery(parseQuery('caption:"say \\"hi\\""')), 'caption:"say \\"hi\\""');
  });

  it('reads back to the same tree', () => {
    for (const text of ['a OR b c', '-(a|b) -c', 'name:*_v2* path:"my cats/" tag:日本', '"x\\\\y" words!=0', '(a | b) (c | d)']) {
      const query = parseQuery(text);
      assert.deepEqual(parseQuery(describeQuery(query)).root, query.root, text);
    }
  });
});
