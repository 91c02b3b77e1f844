import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DamServerProcess, DamServerStartError } from '../../../src/services/damServerProcess';
import { TempDirs } from '../helpers/tempTree';
import { alive, freePort } from '../../fixtures/processes';

/** A stand-in for dam_server.py: starts a worker of its own, loads for a while, then listens (or fails, or never listens). */
const SERVER_SCRIPT = `
const http = require('node:http');
const { spawn } = require('node:child_process');
const [port, mode] = process.argv.slice(2);
const worker = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
console.log('worker pid ' + worker.pid);
console.error('loading model...');
if (mode === 'crash') { console.error('CUDA error: no device'); process.exit(3); }
if (mode === 'never') return;
setTimeout(() => http.createServer((req, res) => res.writeHead(404).end()).listen(Number(port), '127.0.0.1', () => console.log('Uvicorn running on http://127.0.0.1:' + port)), 300);
`;

async function gone(pid: number, withinMs = 3000): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (alive(pid) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
  return !alive(pid);
}

describe('DamServerProcess: the user\'s Describe Anything server as a child process', () => {
  const temp = new TempDirs();
  let script: string;
  let server: DamServerProcess | undefined;

  before(async () => {
    script = path.join(await temp.make(), 'fake_dam_server.js');
    await fs.writeFile(script, SERVER_SCRIPT);
  });
  afterEach(() => server?.dispose());
  after(() => temp.cleanup());

  function make(port: number, mode: string, lines: string[], readyTimeoutMs = 10_000): DamServerProcess {
    return new DamServerProcess({ command: [process.execPath, script, String(port), mode], baseUrl: `http://127.0.0.1:${port}`, readyTimeoutMs, pollIntervalMs: 50, onOutput: (line) => lines.push(line) });
  }

  it('starts the command, shows its output, is ready once the base URL answers, and stop leaves no process behind', async () => {
    const port = await freePort();
    const lines: string[] = [];
    server = make(port, 'ok', lines);
    await server.start();
    assert.ok(server.running);
    assert.ok(lines.includes('loading model...'));
    assert.ok(lines.some((l) => l.includes(`Uvicorn running on http://127.0.0.1:${port}`)), 'ready only after it listens');
    const pid = server.pid!;
    const workerPid = Number(lines.find((l) => l.startsWith('worker pid '))!.split(' ')[2]);
    assert.ok(alive(pid) && alive(workerPid));
    await server.stop();
    assert.equal(server.running, false);
    assert.ok(await gone(pid), 'the server process is gone');
    assert.ok(await gone(workerPid), 'the server\'s own worker is gone too (its process group was stopped)');
  });

  it('a server that exits during start-up fails the start with its last output', async () => {
    const lines: string[] = [];
    server = make(await freePort(), 'crash', lines);
    const err = await server.start().catch((e: unknown) => e);
    assert.ok(err instanceof DamServerStartError, String(err));
    assert.match(err.message, /exited with code 3/);
    assert.match(err.message, /CUDA error: no device/);
    const workerPid = Number(lines.find((l) => l.startsWith('worker pid '))!.split(' ')[2]);
    assert.ok(await gone(workerPid), 'the worker it had started is not left behind');
  });

  it('a server that never answers is stopped after the time limit, with a message naming the base URL', async () => {
    const port = await freePort();
    const lines: string[] = [];
    server = make(port, 'never', lines, 600);
    const started = Date.now();
    const err = await server.start().catch((e: unknown) => e);
    assert.ok(err instanceof DamServerStartError, String(err));
    assert.match(err.message, new RegExp(`did not answer at http://127\\.0\\.0\\.1:${port} within 1 s`));
    assert.ok(Date.now() - started < 5000);
    assert.equal(server.running, false);
    const workerPid = Number(lines.find((l) => l.startsWith('worker pid '))!.split(' ')[2]);
    assert.ok(await gone(workerPid), 'nothing of it is left running');
  });

  it('a program that does not exist says so', async () => {
    server = new DamServerProcess({ command: ['/nonexistent/python3'], baseUrl: 'http://127.0.0.1:9', readyTimeoutMs: 2000, onOutput: () => undefined });
    await assert.rejects(server.start(), /could not be started: spawn \/nonexistent\/python3 ENOENT/);
    const empty = new DamServerProcess({ command: [], baseUrl: 'http://127.0.0.1:9', readyTimeoutMs: 2000, onOutput: () => undefined });
    await assert.rejects(empty.start(), /imageCaptioner\.dam\.serverCommand/);
  });
});
