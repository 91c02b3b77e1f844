// Builds the extension (node, cjs), the webview apps (browser, iife) and the test/bench/script files (node, unbundled).
import * as esbuild from 'esbuild';
import { readdirSync, statSync, mkdirSync, copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');

// Stale transpiled files of renamed or deleted tests would otherwise keep running (and passing).
if (!production) rmSync('out', { recursive: true, force: true, maxRetries: 3 });

function tsFiles(dir) {
  let out = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    // Webview apps are transpiled too (besides their browser bundles): unit tests load their DOM-free parts.
    if (statSync(full).isDirectory()) out = out.concat(tsFiles(full));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** One bundled CommonJS file for Node (the extension, the model worker, the worker threads). */
function nodeBundle(entry, outfile, external = []) {
  return esbuild.build({
    entryPoints: [entry],
    bundle: true,
    outfile,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external,
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
  });
}

const extension = nodeBundle('src/extension.ts', 'dist/extension.js', ['vscode', 'sharp', 'onnxruntime-node']);

// The local-model worker: a separate process. transformers.js stays outside the bundle too: its
// own CommonJS build ran embeddings ~20% faster than esbuild's conversion of its ES module build.
const worker = nodeBundle('src/worker/main.ts', 'dist/worker.js', ['sharp', 'onnxruntime-node', 'onnxruntime-common', '@huggingface/transformers']);

// Find/replace patterns run in a worker thread that the host ends when a user's regex backtracks
// for hours (src/core/patterns/patternRunner.ts); tests start its transpiled twin in out/.
const patternWorker = nodeBundle('src/core/patterns/patternThread.ts', 'dist/patternWorker.js');

// Layouts (TF-IDF, SVD, k-means, UMAP) run in a worker thread so the extension host keeps answering
// (src/core/explore/exploreRunner.ts); tests start its transpiled twin in out/.
const exploreWorker = nodeBundle('src/core/explore/exploreThread.ts', 'dist/exploreWorker.js');

// Lint's near-duplicate searches (embeddings, image hashes) run in a worker thread, off the extension
// host (src/core/lint/lintSearchRunner.ts); tests start its transpiled twin in out/.
const lintWorker = nodeBundle('src/core/lint/lintSearchThread.ts', 'dist/lintWorker.js');

// Tag autocomplete parses, indexes and ranks a booru tag list in a worker thread, off the extension
// host (src/core/tagging/tagCompleteRunner.ts); tests start its transpiled twin in out/.
const tagCompleteWorker = nodeBundle('src/core/tagging/tagCompleteThread.ts', 'dist/tagCompleteWorker.js');

// `image-captioner`, the command-line twin (issue 14): sharp, onnxruntime and transformers.js load at run
// time from node_modules as in the extension; the `#!` line lets npm link it as a bin.
const cli = esbuild.build({
  entryPoints: ['src/cli/main.ts'],
  bundle: true,
  outfile: 'dist/cli.js',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', 'sharp', 'onnxruntime-node', 'onnxruntime-common', '@huggingface/transformers'],
  banner: { js: '#!/usr/bin/env node' },
  // jsonc-parser's UMD build requires its parts at run time; its ES module build bundles
  mainFields: ['module', 'main'],
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
});

const webviewApps = ['captionEditor', 'regionEditor', 'explore', 'evaluation', 'gallery'];
const webviews = esbuild.build({
  entryPoints: webviewApps.map((app) => `src/webviews/ui/${app}/main.ts`),
  bundle: true,
  outdir: 'dist/webviews',
  entryNames: '[dir]',
  outbase: 'src/webviews/ui',
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
});

// Plain-Node code run by mocha, benchmarks and scripts: transpiled file by file, imports resolved at run time.
const nodeFiles = ['src', 'test', 'bench', 'scripts']
  .filter((d) => { try { return statSync(d).isDirectory(); } catch { return false; } })
  .flatMap((d) => tsFiles(d))
  .filter((f) => f !== join('src', 'extension.ts'));
const tests = production ? Promise.resolve() : esbuild.build({
  entryPoints: nodeFiles,
  outdir: 'out',
  outbase: '.',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
});

await Promise.all([extension, worker, patternWorker, exploreWorker, lintWorker, tagCompleteWorker, cli, webviews, tests]);
// The transpiled CLI (tests run it from out/) imports the catalogue as the bundles do, one folder up from src/.
if (!production) {
  mkdirSync('out/models', { recursive: true });
  copyFileSync('models/catalog.json', 'out/models/catalog.json');
}
mkdirSync('dist/webviews', { recursive: true });
copyFileSync('node_modules/@vscode/codicons/dist/codicon.css', 'dist/webviews/codicon.css');
copyFileSync('node_modules/@vscode/codicons/dist/codicon.ttf', 'dist/webviews/codicon.ttf');
