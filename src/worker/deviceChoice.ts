/**
 * Where local models run: the CPU unless the user's setting allows CUDA and onnxruntime-node's CUDA
 * execution provider is installed beside its binding, which exists for Linux x64 only.
 */
import type { DevicePreference } from './protocol';

/** What the choice depends on, gathered by the worker (tests pass their own). */
export interface DeviceFacts {
  readonly platform: string;
  readonly arch: string;
  /** Whether libonnxruntime_providers_cuda sits beside onnxruntime_binding.node. */
  readonly cudaProviderInstalled: boolean;
  /** Folder of the binding, named in the how-to (undefined when it was not found). */
  readonly bindingFolder?: string;
}

/** The device and the sentence the log gives about it. */
export interface DeviceChoice {
  readonly device: 'cpu' | 'cuda';
  /** Why, for the log: names the setting and, when CUDA was asked for but cannot run, how to enable it. */
  readonly reason: string;
  /** True when the user asked for CUDA and gets the CPU. */
  readonly fellBack: boolean;
}

/** ONNX Runtime release whose GPU build matches the onnxruntime-node the VSIX carries. */
export const ONNXRUNTIME_VERSION = '1.30.0';

/** Picks the device for `preference` (imageCaptioner.local.device) on a machine described by `facts`. */
export function chooseDevice(preference: DevicePreference, facts: DeviceFacts): DeviceChoice {
  const setting = `imageCaptioner.local.device is "${preference}"`;
  if (preference === 'cpu') return { device: 'cpu', reason: `${setting}: running on the CPU.`, fellBack: false };
  if (facts.platform !== 'linux' || facts.arch !== 'x64') {
    const reason = `${setting}, but onnxruntime-node's CUDA execution provider exists for Linux x64 only (this is ${facts.platform}-${facts.arch}): running on the CPU.`;
    return { device: 'cpu', reason, fellBack: preference === 'cuda' };
  }
  if (facts.cudaProviderInstalled) return { device: 'cuda', reason: `${setting} and the CUDA execution provider is installed: running on CUDA.`, fellBack: false };
  if (preference === 'auto') return { device: 'cpu', reason: `${setting} and no CUDA execution provider is installed: running on the CPU.`, fellBack: false };
  return {
    device: 'cpu',
    fellBack: true,
    reason:
      `${setting} but the CUDA execution provider of onnxruntime-node is not installed: running on the CPU. To enable it, put ` +
      `libonnxruntime_providers_cuda.so and libonnxruntime_providers_shared.so of ONNX Runtime ${ONNXRUNTIME_VERSION} (GPU build, NuGet package ` +
      `Microsoft.ML.OnnxRuntime.Gpu.Linux, runtimes/linux-x64/native/) beside ${facts.bindingFolder ?? 'onnxruntime_binding.node'}, ` +
      'with CUDA 12 and cuDNN 9 installed where the dynamic loader finds them.',
  };
}

/** Platforms onnxruntime-node 1.30 ships binaries for (`bin/napi-v6/<os>/<arch>` in its npm package). */
const ONNXRUNTIME_PLATFORMS: readonly string[] = ['win32-x64', 'win32-arm64', 'darwin-arm64', 'linux-x64', 'linux-arm64'];

/** Why local models cannot run on `platform`-`arch`, or undefined when they can. */
export function localModelsUnavailable(platform: string, arch: string): string | undefined {
  if (ONNXRUNTIME_PLATFORMS.includes(`${platform}-${arch}`)) return undefined;
  const mac = platform === 'darwin' && arch === 'x64' ? ' (Intel Macs)' : '';
  return (
    `Local models cannot run on ${platform}-${arch}${mac}: onnxruntime-node ${ONNXRUNTIME_VERSION} has no build for it. ` +
    'Use a remote model (NVIDIA NIM, Hugging Face, or an OpenAI-compatible server such as Ollama or LM Studio on this machine).'
  );
}
