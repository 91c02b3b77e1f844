import { strict as assert } from 'node:assert';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMANDS } from '../../../src/cli/commandList';
import { TempDirs } from '../helpers/tempTree';
import { webdatasetSamples, PySample } from '../export/exportTestKit';
import { BUNDLE, filesUnder, REPO_ROOT, writeExportFixture } from './cliTestKit';

/** Loaded before the bundle: any require('vscode') at all, eager or lazy, throws. */
const NO_VSCODE = `
const Module = require('module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'vscode') throw new Error('dist/cli.js required vscode');
  return resolve.call(this, request, ...rest);
};
`;

describe('dist/cli.js: the bundle and the installed bin', function () {
  this.timeout(120_000);
  const temp = new TempDirs();
  after(() => temp.cleanup());

  before(() => {
    assert.ok(fs.existsSync(BUNDLE), `${BUNDLE} is missing: run "node esbuild.mjs" first`);
  });

  it('never requires vscode, and starts with the #! line npm links as a bin', () => {
    const text = fs.readFileSync(BUNDLE, 'utf8');
    assert.ok(text.startsWith('#!/usr/bin/env node\n'));
    assert.doesNotMatch(text, /require\(\s*["']vscode["']\s*\)/);
    assert.doesNotMatch(text, /from\s*["']vscode["']/);
  });

  it('node dist/cli.js --help and a real command run with vscode unloadable', async () => {
    const dir = await temp.make('ic-cli-bundle-');
    const preload = path.join(dir, 'no-vscode.js');
    fs.writeFileSync(preload, NO_VSCODE);
    const help = spawnSync(process.execPath, ['-r', preload, BUNDLE, '--help'], { cwd: dir, encoding: 'utf8' });
    assert.equal(help.status, 0, help.stderr);
    for (const command of COMMANDS) assert.match(help.stdout, new RegExp(`\\n  ${command.name} `));
    await writeExportFixture(dir);
    const stats = spawnSync(process.execPath, ['-r', preload, BUNDLE, 'stats', 'ds', '--json'], { cwd: dir, encoding: 'utf8' });
    assert.equal(stats.status, 0, stats.stderr);
    assert.deepEqual(
      (({ images, captioned, empty, missing }) => ({ images, captioned, empty, missing }))(JSON.parse(stats.stdout) as Record<string, number>),
      { images: 18, captioned: 16, empty: 1, missing: 1 },
    );
  });

  it('npm install -g from the repository puts image-captioner on PATH, and it runs', async function () {
    if (process.platform === 'win32') this.skip(); // npm writes .cmd shims there; the bin path is the same
    const prefix = await temp.make('ic-cli-prefix-');
    // What a user runs (`npm install -g .`), into a temp prefix: offline (a folder is linked, nothing
    // fetched) and without lifecycle scripts (the build is ours to run first).
    execFileSync('npm', ['install', '--global', '--prefix', prefix, '--offline', '--ignore-scripts', '--no-audit', '--no-fund', REPO_ROOT], { stdio: 'pipe', timeout: 90_000 });
    const bin = path.join(prefix, 'bin', 'image-captioner');
    assert.equal(fs.realpathSync(bin), fs.realpathSync(BUNDLE), 'the bin is the package.json "bin" entry');
    const env = { ...process.env, PATH: `${path.join(prefix, 'bin')}${path.delimiter}${process.env.PATH ?? ''}` };
    const help = spawnSync('image-captioner', ['--help'], { env, encoding: 'utf8', cwd: prefix });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^Usage: image-captioner <command>/);
    const version = spawnSync('image-captioner', ['--version'], { env, encoding: 'utf8', cwd: prefix });
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(version.stdout, `${manifest.version}\n`, 'the package found through the link');
  });

  it('four export --shard processes at once into one folder: their tars together are the unsharded export, member for member', async () => {
    const dir = await temp.make('ic-cli-procs-');
    await writeExportFixture(dir);
    const exportRun = (...extra: string[]): Promise<number | null> =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [BUNDLE, 'export', 'ds', '--format', 'webdataset', '--max-samples-per-shard', '3', ...extra], { cwd: dir, stdio: 'ignore' });
        child.on('error', reject);
        child.on('exit', resolve);
      });
    assert.equal(await exportRun('--out', 'whole'), 0);
    assert.deepEqual(await Promise.all([0, 1, 2, 3].map((i) => exportRun('--out', 'shards', '--shard', `${i}/4`))), [0, 0, 0, 0]);
    const members = (folder: string): PySample[] =>
      filesUnder(path.join(dir, folder))
        .flatMap((f) => webdatasetSamples(path.join(dir, folder, f)))
        .sort((a, b) => (a.__key__ < b.__key__ ? -1 : 1));
    assert.ok(filesUnder(path.join(dir, 'shards')).every((f) => /^ds-shard-\d-of-4-\d{6}\.tar$/.test(f)));
    assert.equal(members('whole').length, 16);
    assert.deepEqual(members('shards'), members('whole'));
  });
});
