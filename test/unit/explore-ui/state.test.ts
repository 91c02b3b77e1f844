import * as assert from 'node:assert/strict';
import { clampK, DEFAULT_STATE, indicesWithin, restoreState, type SavedState } from '../../../src/webviews/ui/explore/state';

describe('Explore panel: saved state', () => {
  it('restores a saved state exactly (it went through JSON, as vscode.setState does)', () => {
    // The controls may differ from the layout shown (k changed, not run yet): both are kept.
    const saved: SavedState = {
      version: 1,
      settings: { target: 'images', scope: { kind: 'selection', relPaths: ['a/b.jpg', 'c.png'] }, sourceId: 'local:clip', k: 12, projection: 'umap' },
      layoutSettings: { target: 'images', scope: { kind: 'selection', relPaths: ['a/b.jpg', 'c.png'] }, sourceId: 'local:clip', k: 10, projection: 'umap' },
      selection: [3, 1, 4],
      activeCluster: null,
      hiddenClusters: [2, 5],
      filterText: 'red, car',
      filterMode: 'all',
      stopWords: 'a, the, photo',
    };
    assert.deepEqual(restoreState(JSON.parse(JSON.stringify(saved))), saved);
    const folder = { ...saved, settings: { ...saved.settings, scope: { kind: 'folder', relPath: 'sub/dir' } }, activeCluster: 4, selection: null };
    assert.deepEqual(restoreState(JSON.parse(JSON.stringify(folder))), folder);
  });

  it('falls back to defaults for a missing, foreign or malformed state, field by field', () => {
    assert.deepEqual(restoreState(undefined), DEFAULT_STATE);
    assert.deepEqual(restoreState({ zoom: 2 }), DEFAULT_STATE);
    const odd = restoreState({
      version: 1,
      settings: { target: 'video', scope: { kind: 'folder' }, sourceId: 7, k: 400, projection: 'tsne' },
      layoutSettings: 'last',
      selection: [1, -2, 2.5, 'x', 3],
      activeCluster: -1,
      hiddenClusters: 'all',
      filterText: 42,
      filterMode: 'regex',
      stopWords: ['a'],
    });
    assert.deepEqual(odd, { ...DEFAULT_STATE, settings: { ...DEFAULT_STATE.settings, k: 50 }, selection: [1, 3] });
  });

  it('keeps k a whole number from 2 to 50', () => {
    assert.deepEqual([clampK(1), clampK(2), clampK(7.6), clampK(51), clampK(NaN)], [2, 2, 8, 50, 8]);
  });

  it('drops selected indices a smaller layout no longer has', () => {
    assert.deepEqual(indicesWithin([0, 5, 9, 10], 10), [0, 5, 9]);
    assert.equal(indicesWithin([10, 11], 10), null);
    assert.equal(indicesWithin(null, 10), null);
  });
});
