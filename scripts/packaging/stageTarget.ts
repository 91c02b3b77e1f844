/**
 * Builds the staging folder of one target's VSIX: the manifest, the built bundles and, under
 * dist/node_modules, exactly that platform's native parts (sharp fetched by npm for the target's
 * os/cpu/libc, onnxruntime-node pruned to the target's binaries).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { PackageTarget } from './targets';

/** Where the packager keeps what it fetched and staged (ignored by git). */
export interface PackagePaths {
  readonly repoRoot: string;
  /** `.package-cache/`: npm installs per target and the staging folders. */
  readonly cacheDir: string;
}

/**
 * The folder the VSIX's runtime modules go in. Not the extension's top-level node_modules: vsce
 * `--no-dependencies` never packs that one, and with dependencies it runs `npm list` over the
 * manifest's build-time dependency tree, which the staged runtime rightly does not hold. Node finds
 * `dist/node_modules` first from `dist/extension.js` and `dist/worker.js`.
 */
export const RUNTIME_MODULES = 'dist/node_modules';

/** Files of the repository that go into every VSIX as they are (the rest of dist/ is listed in .vscodeignore). */
const COPIED = ['package.json', 'package.nls.json', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore', 'media', 'models', 'dist'];

/** Stages `target` into `<cacheDir>/stage/<target>` and returns that folder. */
export async function stageTarget(target: PackageTarget, paths: PackagePaths, log: (line: string) => void): Promise<string> {
  const stage = path.join(paths.cacheDir, 'stage', target.name);
  await fs.rm(stage, { recursive: true, force: true });
  await fs.mkdir(stage, { recursive: true });
  for (const entry of COPIED) {
    await fs.cp(path.join(paths.repoRoot, entry), path.join(stage, entry), { recursive: true, filter: (source) => !isInside(source, path.join(paths.repoRoot, RUNTIME_MODULES)) });
  }
  const modules = path.join(stage, RUNTIME_MODULES);
  await copySharpFor(target, paths, modules, log);
  await copyOnnxRuntimeFor(target, paths.repoRoot, modules);
  await copyTree(path.join(paths.repoRoot, 'node_modules/onnxruntime-common'), path.join(modules, 'onnxruntime-common'));
  const transformers = path.join(modules, '@huggingface/transformers');
  await fs.mkdir(path.join(transformers, 'dist'), { recursive: true });
  for (const file of ['package.json', 'LICENSE', 'dist/transformers.node.cjs']) {
    await copyIfPresent(path.join(paths.repoRoot, 'node_modules/@huggingface/transformers', file), path.join(transformers, file));
  }
  await pruneRuntime(modules);
  // The icon's source: the VSIX carries the PNG made from it.
  await fs.rm(path.join(stage, 'media/icon-marketplace.svg'), { force: true });
  return stage;
}

/** Removes what no running extension reads from the runtime modules: source maps, TypeScript sources and declarations, docs. */
async function pruneRuntime(folder: string): Promise<void> {
  for (const entry of await fs.readdir(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) await pruneRuntime(full);
    else if (/\.(map|[cm]?ts)$/i.test(entry.name) || /^(readme|changelog|history)\.md$/i.test(entry.name)) await fs.rm(full);
  }
}

/**
 * sharp and its dependencies as npm installs them on the target (`--os/--cpu/--libc`), into a cache
 * per target; only sharp's build sources are left out.
 */
async function copySharpFor(target: PackageTarget, paths: PackagePaths, modules: string, log: (line: string) => void): Promise<void> {
  const version = packageVersion(path.join(paths.repoRoot, 'node_modules/sharp'));
  const prefix = path.join(paths.cacheDir, 'npm', `${target.name}-sharp-${version}`);
  const installed = path.join(prefix, 'node_modules');
  if (!existsSync(path.join(installed, `@img/sharp-${target.name}`, 'package.json'))) {
    log(`[package] fetching sharp ${version} for ${target.name} from npm`);
    await fs.rm(prefix, { recursive: true, force: true });
    await fs.mkdir(prefix, { recursive: true });
    await fs.writeFile(path.join(prefix, 'package.json'), JSON.stringify({ name: `stage-${target.name}`, private: true }));
    const platform = [`--os=${target.os}`, `--cpu=${target.arch}`, ...(target.libc ? [`--libc=${target.libc}`] : [])];
    execFileSync('npm', ['install', '--no-save', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund', ...platform, `sharp@${version}`], {
      cwd: prefix,
      stdio: ['ignore', 'ignore', 'inherit'],
      shell: process.platform === 'win32', // npm is npm.cmd there
    });
  }
  for (const name of await fs.readdir(installed)) {
    if (name.startsWith('.')) continue;
    await copyTree(path.join(installed, name), path.join(modules, name));
  }
  await fs.rm(path.join(modules, 'sharp/src'), { recursive: true, force: true });
  await fs.rm(path.join(modules, 'sharp/install'), { recursive: true, force: true });
}

/** onnxruntime-node's JavaScript and the target's binaries only (its npm package holds every OS). */
async function copyOnnxRuntimeFor(target: PackageTarget, repoRoot: string, modules: string): Promise<void> {
  const source = path.join(repoRoot, 'node_modules/onnxruntime-node');
  const dest = path.join(modules, 'onnxruntime-node');
  for (const entry of ['package.json', 'LICENSE', 'dist']) await copyIfPresent(path.join(source, entry), path.join(dest, entry));
  const binaries = path.join('bin/napi-v6', target.os, target.arch);
  // onnxruntime-node 1.30 has no darwin-x64 build: that VSIX has no local models (the worker says so).
  if (!existsSync(path.join(source, binaries))) return;
  await copyTree(path.join(source, binaries), path.join(dest, binaries));
  for (const name of await fs.readdir(path.join(dest, binaries))) {
    // libonnxruntime.1.30.0.dylib is a byte-for-byte copy of libonnxruntime.1.dylib, the name the binding links.
    if (/^libonnxruntime\.\d+\.\d+\.\d+\.dylib$/.test(name)) await fs.rm(path.join(dest, binaries, name));
  }
}

function packageVersion(folder: string): string {
  return (JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as { version: string }).version;
}

async function copyTree(source: string, dest: string): Promise<void> {
  await fs.cp(source, dest, { recursive: true, dereference: true });
}

async function copyIfPresent(source: string, dest: string): Promise<void> {
  if (!existsSync(source)) return;
  await fs.mkdir(path.dirname(dest), { recursive: true });
  await copyTree(source, dest);
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
