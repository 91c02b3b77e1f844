/**
 * Require resolution inside an unpacked VSIX as it happens on the target: with `process.platform`
 * and `process.arch` set to the target's, the modules the bundles require and the binaries their
 * loaders pick must all resolve inside the VSIX. Pure resolution: no binary is loaded.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { RUNTIME_MODULES } from './stageTarget';
import type { PackageTarget } from './targets';

/** What resolved (paths relative to the extension root) and what did not. */
export interface Resolution {
  readonly resolved: Readonly<Record<string, string>>;
  readonly problems: readonly string[];
}

/** Runs `body` with `process.platform`/`process.arch` reading as `platform`/`arch`, then puts them back. */
export function withPlatform<T>(platform: string, arch: string, body: () => T): T {
  const saved = { platform: Object.getOwnPropertyDescriptor(process, 'platform')!, arch: Object.getOwnPropertyDescriptor(process, 'arch')! };
  Object.defineProperty(process, 'platform', { value: platform, configurable: true, enumerable: true });
  Object.defineProperty(process, 'arch', { value: arch, configurable: true, enumerable: true });
  try {
    return body();
  } finally {
    Object.defineProperty(process, 'platform', saved.platform);
    Object.defineProperty(process, 'arch', saved.arch);
  }
}

/** Resolves the extension's native parts in `root` (the unpacked `extension/` folder) as `target` would. */
export function resolveNativeParts(root: string, target: PackageTarget): Resolution {
  const resolved: Record<string, string> = {};
  const problems: string[] = [];
  const inside = (label: string, file: string) => {
    const relative = path.relative(root, file);
    if (relative.startsWith('..') || path.isAbsolute(relative)) problems.push(`${label} resolved outside the VSIX: ${file}`);
    else resolved[label] = relative.split(path.sep).join('/');
  };
  const attempt = (label: string, resolve: () => string) => {
    try {
      inside(label, resolve());
    } catch (error) {
      problems.push(`${label}: ${(error as Error).message.split('\n')[0]}`);
    }
  };
  withPlatform(target.os, target.arch, () => {
    const fromWorker = createRequire(path.join(root, 'dist/worker.js'));
    const fromExtension = createRequire(path.join(root, 'dist/extension.js'));
    attempt('sharp (extension)', () => fromExtension.resolve('sharp'));
    attempt('sharp (worker)', () => fromWorker.resolve('sharp'));
    attempt('@huggingface/transformers', () => fromWorker.resolve('@huggingface/transformers'));
    attempt('onnxruntime-common', () => createRequire(fromWorker.resolve('@huggingface/transformers')).resolve('onnxruntime-common'));
    resolveSharpBinary(target, fromWorker, attempt, root);
    if (target.localModels) resolveOnnxRuntimeBinary(fromWorker, attempt);
    else if (existsSync(path.join(root, RUNTIME_MODULES, 'onnxruntime-node/bin'))) problems.push(`${target.name} has no onnxruntime build but the VSIX carries onnxruntime-node/bin`);
  });
  return { resolved, problems };
}

type Attempt = (label: string, resolve: () => string) => void;

/**
 * sharp's loader requires `@img/sharp-${runtimePlatformArch()}/sharp.node`: the platform string comes
 * from the VSIX's own libvips.cjs (fresh, under the stubbed platform), and the loader must name it.
 * That export is a small index.cjs whose own requires (the binary, libvips) must resolve too.
 */
function resolveSharpBinary(target: PackageTarget, fromWorker: NodeRequire, attempt: Attempt, root: string): void {
  attempt('sharp platform package', () => {
    const sharpMain = fromWorker.resolve('sharp');
    const libvipsFile = path.join(path.dirname(sharpMain), 'libvips.cjs');
    const platformArch = freshRequire<{ runtimePlatformArch: () => string }>(libvipsFile, root).runtimePlatformArch();
    if (platformArch !== target.name) throw new Error(`sharp's loader picks ${platformArch} for ${target.name}`);
    const specifier = `@img/sharp-${platformArch}/sharp.node`;
    if (!readFileSync(path.join(path.dirname(sharpMain), 'sharp.cjs'), 'utf8').includes(`"${specifier}"`)) {
      throw new Error(`sharp's loader does not require ${specifier}`);
    }
    const entry = createRequire(libvipsFile).resolve(specifier);
    for (const required of requiredSpecifiers(readFileSync(entry, 'utf8'))) {
      attempt(`sharp: ${required}`, () => createRequire(entry).resolve(required));
    }
    return entry;
  });
}

/** The string literals a CommonJS file passes to `require(...)` or `require.resolve(...)`. */
export function requiredSpecifiers(source: string): string[] {
  return [...source.matchAll(/require(?:\.resolve)?\(\s*(['"])([^'"]+)\1\s*\)/g)].map((match) => match[2]);
}

/** onnxruntime-node's binding.js requires `../bin/napi-v6/${process.platform}/${process.arch}/onnxruntime_binding.node`. */
function resolveOnnxRuntimeBinary(fromWorker: NodeRequire, attempt: Attempt): void {
  attempt('onnxruntime_binding.node', () => {
    const bindingJs = path.join(path.dirname(fromWorker.resolve('onnxruntime-node')), 'binding.js');
    const template = '../bin/napi-v6/${process.platform}/${process.arch}/onnxruntime_binding.node';
    if (!readFileSync(bindingJs, 'utf8').includes(template)) throw new Error(`onnxruntime-node's binding.js no longer requires ${template}`);
    return createRequire(bindingJs).resolve(`../bin/napi-v6/${process.platform}/${process.arch}/onnxruntime_binding.node`);
  });
}

/** Loads a module of the unpacked tree afresh (its dependencies too), so module-level platform checks see the stub. */
function freshRequire<T>(file: string, root: string): T {
  const req = createRequire(file);
  for (const key of Object.keys(req.cache)) if (key.startsWith(root)) delete req.cache[key];
  return req(file) as T;
}
