// Runs the same integration suite in a downloaded VS Code (needs internet); browser-driven tests skip themselves.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { HARNESS_ENV, Harness } from '../browser';
import { prepareWorkspace, repoRoot } from './runIntegration';

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'image-captioner-it-'));
  const workspace = await prepareWorkspace(tmp);
  const grepAt = process.argv.indexOf('--grep');
  // No cdpEndpoint: hasBrowser() is false, so browser-driven tests call this.skip().
  const harness: Harness = { workspace, grep: grepAt >= 0 ? process.argv[grepAt + 1] : undefined };
  const harnessFile = path.join(tmp, 'harness.json');
  fs.writeFileSync(harnessFile, JSON.stringify(harness));
  try {
    await runTests({
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(repoRoot, 'out', 'test', 'integration', 'index.js'),
      launchArgs: [workspace, '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
      extensionTestsEnv: { [HARNESS_ENV]: harnessFile },
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
