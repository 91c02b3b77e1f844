/**
 * The platforms a VSIX is built for: VS Code marketplace targets that both sharp and onnxruntime-node
 * ship binaries for, with what npm needs to fetch each one's sharp packages.
 */
import { localModelsUnavailable } from '../../src/worker/deviceChoice';
import type { NativeArch, NativeOs } from './nativeHeader';

/** One platform-specific VSIX. */
export interface PackageTarget {
  /** `vsce package --target` name, also the VSIX's file name suffix. */
  readonly name: string;
  readonly os: NativeOs;
  readonly arch: Extract<NativeArch, 'x64' | 'arm64'>;
  /** npm `--libc` for Linux: sharp's glibc packages (musl/Alpine would be its own target). */
  readonly libc?: 'glibc';
  /** Whether onnxruntime-node ships binaries for it (1.30 has none for darwin-x64: no local models there). */
  readonly localModels: boolean;
}

/** Every target `npm run package -- --all` builds. */
export const PACKAGE_TARGETS: readonly PackageTarget[] = [
  { name: 'win32-x64', os: 'win32', arch: 'x64', localModels: !localModelsUnavailable('win32', 'x64') },
  { name: 'win32-arm64', os: 'win32', arch: 'arm64', localModels: !localModelsUnavailable('win32', 'arm64') },
  { name: 'darwin-x64', os: 'darwin', arch: 'x64', localModels: !localModelsUnavailable('darwin', 'x64') },
  { name: 'darwin-arm64', os: 'darwin', arch: 'arm64', localModels: !localModelsUnavailable('darwin', 'arm64') },
  { name: 'linux-x64', os: 'linux', arch: 'x64', libc: 'glibc', localModels: !localModelsUnavailable('linux', 'x64') },
  { name: 'linux-arm64', os: 'linux', arch: 'arm64', libc: 'glibc', localModels: !localModelsUnavailable('linux', 'arm64') },
];

/** The target named `name`, or an error naming the ones there are. */
export function targetNamed(name: string): PackageTarget {
  const target = PACKAGE_TARGETS.find((candidate) => candidate.name === name);
  if (!target) throw new Error(`Unknown target "${name}": use one of ${PACKAGE_TARGETS.map((t) => t.name).join(', ')}, or --all.`);
  return target;
}

/**
 * The target of the machine the packager runs on, or an error: a plain `npm run package` builds for
 * this machine only, never a universal VSIX.
 */
export function hostTarget(platform: string = process.platform, arch: string = process.arch, muslLinux = false): PackageTarget {
  const name = `${platform}-${arch}`;
  const target = PACKAGE_TARGETS.find((candidate) => candidate.name === name);
  if (!target || muslLinux) {
    throw new Error(`This machine (${muslLinux ? 'linuxmusl' : platform}-${arch}) is not a packaging target; pass --target <name> or --all (${PACKAGE_TARGETS.map((t) => t.name).join(', ')}).`);
  }
  return target;
}

/** File name of a target's VSIX under dist-vsix/. */
export function vsixFileName(target: PackageTarget): string {
  return `image-captioner-${target.name}.vsix`;
}

/** sharp's package holding `sharp.node` for a target: the name its loader requires at run time. */
export function sharpPlatformPackage(target: PackageTarget): string {
  return `@img/sharp-${target.name}`;
}
