/**
 * `npm run check:vsix [-- --target <name>[,...]]`: checks each target's VSIX in dist-vsix/ (all six by
 * default): every native binary's header is the target's, no test, source map, cache or model file
 * is listed, the size is within budget, and the bundles resolve the binaries they carry. Prints one
 * line per check and closes with `vsix: N passed, N failed` (scripts/test.sh counts it).
 */
import { execFileSync } from 'node:child_process';
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import JSZip from 'jszip';
import { NATIVE_HEADER_BYTES, platformMismatch, readNativeHeader } from './nativeHeader';
import { resolveNativeParts } from './resolveNative';
import { PACKAGE_TARGETS, PackageTarget, targetNamed, vsixFileName } from './targets';
import { forbiddenEntry, isNativeName, requiredEntries, VSIX_BUDGET_BYTES } from './vsixRules';

/** out/scripts/packaging/checkVsix.js -> repository root */
const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** One named check of one VSIX and what it found wrong (nothing: passed). */
export interface CheckResult {
  readonly name: string;
  readonly problems: readonly string[];
  readonly detail?: string;
}

/** The files the build wrote under dist/, relative to it (what the VSIX must carry is derived from them). */
async function distFiles(): Promise<string[]> {
  const dist = path.join(repoRoot, 'dist');
  return (await fs.readdir(dist, { recursive: true })).map((file) => file.split(path.sep).join('/'));
}

/** Runs every check on the VSIX file of `target`. */
export async function checkVsix(file: string, target: PackageTarget): Promise<CheckResult[]> {
  const bytes = await fs.readFile(file);
  const zip = await JSZip.loadAsync(bytes);
  const entries = Object.values(zip.files).filter((entry) => !entry.dir);
  const results: CheckResult[] = [];
  const size = bytes.length;
  results.push({
    name: 'size',
    detail: `${(size / 1e6).toFixed(1)} MB of ${VSIX_BUDGET_BYTES / 1e6} MB, ${entries.length} files`,
    problems: size > VSIX_BUDGET_BYTES ? [`${(size / 1e6).toFixed(1)} MB is over the ${VSIX_BUDGET_BYTES / 1e6} MB budget`] : [],
  });

  const listed = entries.map((entry) => entry.name).filter((name) => name.startsWith('extension/')).map((name) => name.slice('extension/'.length));
  const forbidden = listed.flatMap((name) => { const why = forbiddenEntry(name); return why ? [`${name}: ${why}`] : []; });
  const missing = requiredEntries(await distFiles()).filter((name) => !listed.includes(name)).map((name) => `${name}: missing`);
  results.push({ name: 'listing', problems: [...forbidden, ...missing] });

  const tmp = mkdtempSync(path.join(os.tmpdir(), `vsix-${target.name}-`));
  try {
    const natives: string[] = [];
    const headerProblems: string[] = [];
    for (const entry of entries) {
      const content = await entry.async('nodebuffer');
      const out = path.join(tmp, entry.name);
      await fs.mkdir(path.dirname(out), { recursive: true });
      await fs.writeFile(out, content);
      // Every file is read, not only the native names: a binary under another name is still another platform's.
      const header = readNativeHeader(content.subarray(0, NATIVE_HEADER_BYTES));
      if (!header && !isNativeName(entry.name)) continue;
      natives.push(entry.name);
      const mismatch = platformMismatch(header, target.os, target.arch);
      if (mismatch) headerProblems.push(`${entry.name}: ${mismatch}`);
    }
    const sharpFolder = `extension/dist/node_modules/@img/sharp-${target.name}/`;
    if (!natives.some((name) => name.startsWith(sharpFolder) && name.endsWith('.node'))) headerProblems.push(`no sharp binary under ${sharpFolder}`);
    if (target.localModels && !natives.some((name) => name.endsWith('/onnxruntime_binding.node'))) headerProblems.push('no onnxruntime_binding.node');
    results.push({ name: 'native headers', detail: `${natives.length} binaries, all ${target.name}`, problems: headerProblems });

    const { resolved, problems } = resolveNativeParts(path.join(tmp, 'extension'), target);
    results.push({ name: 'require resolution', detail: Object.entries(resolved).map(([what, where]) => `${what} -> ${where}`).join('; '), problems });
    if (target.name === `${process.platform}-${process.arch}`) results.push(loadOnThisMachine(path.join(tmp, 'extension'), target));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return results;
}

/**
 * For the VSIX of the machine running the check: the worker's modules really load from the unpacked
 * tree in a child process (sharp encodes an image, onnxruntime lists its backends, transformers.js loads).
 */
function loadOnThisMachine(root: string, target: PackageTarget): CheckResult {
  const script = `
    const req = require('node:module').createRequire(require('node:path').join(${JSON.stringify(root)}, 'dist/worker.js'));
    const sharp = req('sharp');
    sharp({ create: { width: 4, height: 4, channels: 3, background: '#f00' } }).tiff().toBuffer()
      .then((tiff) => sharp(tiff).png().toBuffer())
      .then(async (png) => {
        const backends = ${target.localModels ? "req('onnxruntime-node').listSupportedBackends().map((b) => b.name)" : '[]'};
        ${target.localModels ? "await req('@huggingface/transformers');" : ''}
        const files = Object.keys(require.cache).filter((f) => f.endsWith('.node'));
        console.log(JSON.stringify({ png: png.length, backends, files }));
      })
      .catch((error) => { console.error(error.stack || error); process.exit(1); });`;
  try {
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 }).trim().split('\n').pop()!) as { png: number; backends: string[]; files: string[] };
    const problems = out.files.filter((file) => !file.startsWith(root)).map((file) => `loaded a binary from outside the VSIX: ${file}`);
    if (target.localModels && !out.backends.includes('cpu')) problems.push(`onnxruntime lists no cpu backend: ${out.backends.join(', ')}`);
    return { name: 'loads on this machine', detail: `sharp TIFF->PNG ${out.png} bytes; onnxruntime backends ${out.backends.join(', ') || 'none'}; ${out.files.length} binaries loaded`, problems };
  } catch (error) {
    return { name: 'loads on this machine', problems: [String((error as { stderr?: string }).stderr || (error as Error).message).slice(0, 2000)] };
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const i = args.indexOf('--target');
  const targets = i >= 0 ? (args[i + 1] ?? '').split(',').map((name) => targetNamed(name.trim())) : PACKAGE_TARGETS;
  let passed = 0;
  let failed = 0;
  for (const target of targets) {
    const file = path.join(repoRoot, 'dist-vsix', vsixFileName(target));
    let results: CheckResult[];
    try {
      results = await checkVsix(file, target);
    } catch (error) {
      results = [{ name: 'open', problems: [`${path.relative(repoRoot, file)}: ${(error as Error).message} (build it with npm run package -- --target ${target.name})`] }];
    }
    for (const result of results) {
      const ok = result.problems.length === 0;
      if (ok) passed++;
      else failed++;
      console.log(`${ok ? '  ok  ' : '  FAIL'} ${target.name} ${result.name}${result.detail ? `: ${result.detail}` : ''}`);
      for (const problem of result.problems.slice(0, 20)) console.log(`         ${problem}`);
      if (result.problems.length > 20) console.log(`         ... and ${result.problems.length - 20} more`);
    }
  }
  console.log(`vsix: ${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

if (require.main === module) void main().then((code) => process.exit(code));
