/** `node out/scripts/makeExamples.js <targetDir> [--force]`: writes the sample dataset (src/core/sample) into a folder. */
import * as path from 'node:path';
import { ensureSampleDataset } from '../src/core/sample/sampleDataset';

async function main(args: string[]): Promise<void> {
  const force = args.includes('--force');
  const positional = args.filter((a) => !a.startsWith('--'));
  if (positional.length !== 1) throw new Error('usage: node out/scripts/makeExamples.js <targetDir> [--force]');
  const outcome = await ensureSampleDataset(positional[0], force);
  console.log(`Sample dataset ${outcome}: ${path.resolve(positional[0])}`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: Error) => {
    console.error(err.message);
    process.exitCode = 1;
  });
}
