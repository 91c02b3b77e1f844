import { strict as assert } from 'node:assert';
import { ChangeBatcher } from '../../src/services/changeBatcher';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('ChangeBatcher', () => {
  it('hands over paths in one batch after a quiet period', async () => {
    const batches: string[][] = [];
    const batcher = new ChangeBatcher(20, async (paths) => void batches.push([...paths]), () => assert.fail('no error expected'));
    batcher.add('/a');
    batcher.add('/b');
    batcher.add('/a');
    await sleep(60);
    assert.deepEqual(batches, [['/a', '/b']]);
    batcher.dispose();
  });

  it('reports a batch that failed, with its paths, and still applies the next one', async () => {
    const applied: string[][] = [];
    const errors: Array<{ message: string; paths: readonly string[] }> = [];
    const batcher = new ChangeBatcher(
      10,
      async (paths) => {
        if (paths.includes('/broken')) throw new Error('EACCES: permission denied, scandir /broken');
        applied.push([...paths]);
      },
      (err, paths) => errors.push({ message: (err as Error).message, paths }),
    );
    batcher.add('/broken');
    await sleep(40);
    batcher.add('/fine');
    await sleep(40);
    assert.deepEqual(errors, [{ message: 'EACCES: permission denied, scandir /broken', paths: ['/broken'] }]);
    assert.deepEqual(applied, [['/fine']]);
    batcher.dispose();
  });
});
