/** What may and may not be inside a VSIX, judged by entry name alone (the binaries' headers are nativeHeader.ts's job). */

/** Largest VSIX per target, in bytes (issue 16's budget). */
export const VSIX_BUDGET_BYTES = 45 * 1000 * 1000;

/** Whether an entry is a native module or shared library by its name: `.node`, `.so`, `.so.1.2`, `.dylib`, `.dll`. */
export function isNativeName(entry: string): boolean {
  return /\.(node|dll|dylib|so)$/i.test(entry) || /\.so(\.\d+)+$/i.test(entry);
}

const FORBIDDEN: readonly { readonly pattern: RegExp; readonly reason: string }[] = [
  { pattern: /(^|\/)(test|tests|__tests__|fixtures?)\//i, reason: 'test file or fixture' },
  { pattern: /\.(test|spec|bench)\.[cm]?[jt]s$/i, reason: 'test source' },
  { pattern: /\.map$/i, reason: 'source map' },
  { pattern: /(^|\/)(\.package-cache|\.vscode-test|\.bench-cache|\.bench-tmp|\.cache|caption-jobs|embeddings)\//i, reason: 'cache' },
  { pattern: /\.(onnx|onnx_data|ort|safetensors|gguf|pt|pth|ckpt|h5|tflite)$/i, reason: 'model file' },
  { pattern: /(^|\/)(tokenizer|preprocessor_config|generation_config)\.json$/i, reason: 'model file' },
  { pattern: /(^|\/)(src|out|bench)\//, reason: 'source or build output outside dist/' },
  { pattern: /\.ts$/i, reason: 'TypeScript source' },
  { pattern: /\.vsix$/i, reason: 'nested VSIX' },
];

/** Why an entry (a path inside the VSIX's `extension/` folder) must not ship, or undefined. */
export function forbiddenEntry(entry: string): string | undefined {
  // Inside the runtime modules only tests, maps, caches and models are forbidden: `src/` there is a package's code.
  const runtime = entry.startsWith('dist/node_modules/');
  for (const { pattern, reason } of FORBIDDEN) {
    if (runtime && reason === 'source or build output outside dist/') continue;
    if (pattern.test(entry)) return reason;
  }
  return undefined;
}

/**
 * What every VSIX must hold: the manifest's files and every bundle the build wrote to `dist/` (given as
 * paths relative to it) but the CLI's, so a new worker bundle missing from .vscodeignore fails the check.
 */
export function requiredEntries(distFiles: readonly string[]): string[] {
  const bundles = distFiles.filter((file) => /\.(js|css|ttf)$/.test(file) && file !== 'cli.js' && !file.startsWith('node_modules/')).map((file) => `dist/${file}`);
  // vsce stores README.md, CHANGELOG.md and LICENSE under these names
  return ['package.json', 'package.nls.json', 'readme.md', 'changelog.md', 'LICENSE.txt', 'media/icon.png', ...bundles];
}
