import * as assert from 'node:assert/strict';
import { addRegions, deleteRegions, freeId, updateRegion } from '../../../src/core/regions/regionEdits';
import type { RegionsSidecar } from '../../../src/core/regions/regionsSidecar';

const now = new Date('2026-02-03T04:05:06.000Z');
const earlier = '2026-01-01T00:00:00.000Z';
const empty: RegionsSidecar = { version: 1, image: { width: 100, height: 50 }, regions: [] };
const box = (id: string, bbox: [number, number, number, number]) => ({ id, kind: 'box' as const, bbox, description: '', model: '' });

describe('region editor edits', () => {
  it('adds a drawn box stamped with the time, clipped into the image', () => {
    const result = addRegions(empty, [box('r1', [0.9, -0.2, 0.3, 0.5])], now);
    assert.ok(result.ok);
    assert.deepEqual(result.sidecar.regions, [{ ...box('r1', [0.9, 0, 0.1, 0.3]), updated: now.toISOString() }]);
    assert.deepEqual(result.sidecar.image, empty.image, 'the rest of the sidecar is kept');
  });

  it('refuses degenerate shapes with the reason and adds none of the batch', () => {
    const zero = addRegions(empty, [box('a', [0.1, 0.1, 0.2, 0.2]), box('b', [0.5, 0.5, 0, 0.3])], now);
    assert.deepEqual(zero, { ok: false, message: 'The region was not kept: the box has zero area (or lies outside the image).' });
    const outside = addRegions(empty, [box('c', [1.2, 0.1, 0.3, 0.3])], now);
    assert.equal(outside.ok, false);
    const twoPoints = addRegions(empty, [{ id: 'p', kind: 'polygon', bbox: [0, 0, 0.5, 0.5], points: [[0, 0], [0.5, 0.5]], description: '', model: '' }], now);
    assert.deepEqual(twoPoints, { ok: false, message: 'The region was not kept: a polygon needs at least 3 points.' });
  });

  it('gives an added region a free id when its id is taken', () => {
    const first = addRegions(empty, [box('r1', [0, 0, 0.5, 0.5])], now);
    assert.ok(first.ok);
    const second = addRegions(first.sidecar, [box('r1', [0.5, 0.5, 0.2, 0.2])], now);
    assert.ok(second.ok);
    assert.deepEqual(second.sidecar.regions.map((r) => r.id), ['r1', 'r2']);
    assert.equal(freeId(new Set(['r1', 'r2', 'r3'])), 'r4');
    assert.equal(freeId(new Set(['r2'])), 'r3');
  });

  it('updates a region in place; an unchanged one keeps its time and the same sidecar object', () => {
    const sidecar: RegionsSidecar = { ...empty, regions: [{ ...box('a', [0.1, 0.1, 0.2, 0.2]), updated: earlier }, { ...box('b', [0.5, 0.5, 0.2, 0.2]), updated: earlier }] };
    const same = updateRegion(sidecar, box('a', [0.1, 0.1, 0.2, 0.2]), now);
    assert.ok(same.ok);
    assert.equal(same.sidecar, sidecar);
    const moved = updateRegion(sidecar, { ...box('a', [0.3, 0.1, 0.2, 0.2]), description: 'a cat' }, now);
    assert.ok(moved.ok);
    assert.deepEqual(moved.sidecar.regions[0], { ...box('a', [0.3, 0.1, 0.2, 0.2]), description: 'a cat', updated: now.toISOString() });
    assert.equal(moved.sidecar.regions[1], sidecar.regions[1]);
    assert.equal(updateRegion(sidecar, box('zzz', [0, 0, 0.1, 0.1]), now).ok, false);
    assert.equal(updateRegion(sidecar, box('a', [0.1, 0.1, 0, 0.2]), now).ok, false, 'resized to nothing is refused');
  });

  it('deletes by id', () => {
    const sidecar: RegionsSidecar = { ...empty, regions: [{ ...box('a', [0, 0, 0.2, 0.2]), updated: earlier }, { ...box('b', [0.5, 0.5, 0.2, 0.2]), updated: earlier }] };
    assert.deepEqual(deleteRegions(sidecar, ['a']).regions.map((r) => r.id), ['b']);
  });
});
