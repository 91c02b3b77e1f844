/**
 * `npm run package [-- --target <name> | --all]`: one VSIX per platform with `vsce package --target`.
 * No option builds this machine's target only (and refuses on a machine that is no target), so a
 * universal VSIX carrying one platform's binaries is never made by accident.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs, statSync } from 'node:fs';
import * as path from 'node:path';
import { familySync, MUSL } from 'detect-libc';
import { makeIcon } from './makeIcon';
import { stageTarget } from './stageTarget';
import { hostTarget, PACKAGE_TARGETS, PackageTarget, targetNamed, vsixFileName } from './targets';

/** out/scripts/packaging/packageVsix.js -> repository root */
const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** The targets that the command line asks for. */
export function targetsFromArgs(args: readonly string[], host: () => PackageTarget = () => hostTarget(process.platform, process.arch, familySync() === MUSL)): PackageTarget[] {
  if (args.includes('--all')) return [...PACKAGE_TARGETS];
  const named: PackageTarget[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--target') {
      const value = args[++i];
      if (!value) throw new Error('--target needs a name');
      for (const name of value.split(',')) named.push(targetNamed(name.trim()));
    } else {
      throw new Error(`Unknown option ${args[i]}: use --target <name>[,<name>...] or --all`);
    }
  }
  return named.length ? named : [host()];
}

async function main(): Promise<void> {
  const targets = targetsFromArgs(process.argv.slice(2));
  const cacheDir = path.join(repoRoot, '.package-cache');
  const outDir = path.join(repoRoot, 'dist-vsix');
  await fs.mkdir(outDir, { recursive: true });
  execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: repoRoot, stdio: 'inherit' });
  const vsce = require.resolve('@vscode/vsce/vsce', { paths: [repoRoot] });
  for (const target of targets) {
    const stage = await stageTarget(target, { repoRoot, cacheDir }, (line) => console.log(line));
    await makeIcon(path.join(repoRoot, 'media/icon-marketplace.svg'), path.join(stage, 'media/icon.png'));
    const out = path.join(outDir, vsixFileName(target));
    await fs.rm(out, { force: true });
    execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--target', target.name, '--out', out], {
      cwd: stage,
      // The manifest's vscode:prepublish refuses to run outside a staging folder made here.
      env: { ...process.env, IMAGE_CAPTIONER_STAGED: target.name },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    console.log(`[package] ${path.relative(repoRoot, out)}: ${(statSync(out).size / 1e6).toFixed(1)} MB`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`[package] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
