import { strict as assert } from 'node:assert';
import { formatRegions, parseRegionsText } from '../../../src/core/regions/regionsText';

const valid = {
  version: 1,
  image: { width: 640, height: 480 },
  regions: [{ id: 'r1', kind: 'box', bbox: [0.1, 0.2, 0.3, 0.4], label: 'cup', description: 'a blue cup', model: 'dam', updated: '2026-11-26T00:00:00.000Z' }],
  mine: 'kept',
};

describe('regions sidecar text', () => {
  it('parses a valid sidecar as it is, fields it does not know included', () => {
    const parsed = parseRegionsText(formatRegions(valid as never));
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.sidecar, valid);
  });

  it('formats as two-space JSON with a final newline', () => {
    const text = formatRegions(valid as never);
    assert.ok(text.endsWith('}\n'));
    assert.ok(text.includes('\n  "image": {\n    "width": 640,'));
  });

  it('gives the line and column of a syntax error', () => {
    const parsed = parseRegionsText('{\n  "version": 1,\n  "regions": [}\n}');
    assert.ok(!parsed.ok);
    assert.equal(parsed.problem, 'syntax');
    assert.deepEqual([parsed.line, parsed.column], [3, 15]);
    assert.match(parsed.message, /unexpected '\}'/);
  });

  it('points at the region that is wrong, and says which and why', () => {
    const text = formatRegions({ ...valid, regions: [valid.regions[0], { ...valid.regions[0], id: 'r1' }] } as never);
    const parsed = parseRegionsText(text);
    assert.ok(!parsed.ok);
    assert.equal(parsed.problem, 'schema');
    assert.equal(parsed.message, 'region 2: "id" "r1" is used twice');
    assert.equal(text.split('\n')[parsed.line - 1].slice(parsed.column - 1), '{');
    const braces = text.split('\n').flatMap((l, i) => (l === '    {' ? [i + 1] : []));
    assert.deepEqual([braces.length, parsed.line], [2, braces[1]], 'the second region\'s opening brace');
  });

  it('says a newer version is newer', () => {
    const parsed = parseRegionsText('{"version": 2, "regions": []}');
    assert.ok(!parsed.ok);
    assert.equal(parsed.problem, 'newer');
    assert.deepEqual([parsed.line, parsed.column], [1, 13]);
  });

  it('refuses a wrong image size and a description that is not text', () => {
    const noSize = parseRegionsText('{"version":1,"image":{"width":0,"height":5},"regions":[]}');
    assert.ok(!noSize.ok && /"image" must be/.test(noSize.message));
    const badText = parseRegionsText(JSON.stringify({ ...valid, regions: [{ ...valid.regions[0], description: 5 }] }));
    assert.ok(!badText.ok && badText.message === 'region 1: "description" must be a string');
  });

  it('reads a sidecar with a byte order mark', () => {
    assert.ok(parseRegionsText(`\uFEFF${formatRegions(valid as never)}`).ok);
  });
});
