import { strict as assert } from 'node:assert';
import { SelectionModel } from '../../../src/webviews/ui/gallery/selectionModel';

describe('gallery selection model', () => {
  const selected = (m: SelectionModel): number[] => Array.from(m.indices());

  it('click selects one, Ctrl toggles, Shift selects the range from the anchor (Ctrl+Shift adds it)', () => {
    const m = new SelectionModel();
    m.reset(10);
    m.click(2);
    m.click(5, { range: true });
    assert.deepEqual(selected(m), [2, 3, 4, 5]);
    m.click(0, { range: true });
    assert.deepEqual(selected(m), [0, 1, 2], 'the anchor stays where the plain click was');
    m.click(8, { toggle: true });
    m.click(1, { toggle: true });
    assert.deepEqual(selected(m), [0, 2, 8]);
    m.click(9, { toggle: true, range: true });
    assert.deepEqual(selected(m), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'Ctrl+Shift adds the range from the last toggled item (1) and keeps the rest');
    assert.equal(m.size, 10);
  });

  it('arrows move the focus (clamped), Shift extends from the anchor; select all, invert and clear keep the count right', () => {
    const m = new SelectionModel();
    m.reset(6);
    m.click(3);
    m.move(-1);
    assert.deepEqual(selected(m), [2]);
    m.move(2, true);
    assert.deepEqual(selected(m), [2, 3, 4]);
    m.move(100, true);
    assert.deepEqual(selected(m), [2, 3, 4, 5]);
    assert.equal(m.focus, 5);
    m.invert();
    assert.deepEqual(selected(m), [0, 1]);
    assert.equal(m.size, 2);
    m.selectAll();
    assert.equal(m.size, 6);
    m.clear();
    assert.equal(m.size, 0);
    assert.deepEqual(selected(m), []);
  });

  it('selects and inverts 100,000 items quickly and lists them ascending', () => {
    const m = new SelectionModel();
    m.reset(100_000);
    const start = performance.now();
    m.selectAll();
    m.click(50_000, { toggle: true });
    m.invert();
    const indices = m.indices();
    assert.ok(performance.now() - start < 200);
    assert.deepEqual(Array.from(indices), [50_000]);
  });
});
