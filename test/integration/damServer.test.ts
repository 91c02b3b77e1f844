// The Describe Anything server in a real VS Code: its base URL setting moves the catalogue's entry,
// Start runs the user's command from the machine settings and waits for it, Stop leaves nothing running.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImageCaptionerApi } from '../../src/extension';
import { activateExtension, waitFor } from './extensionApi';
import { writeMachineSettings } from './settingsScopes';
import { alive, freePort } from '../fixtures/processes';

/** A stand-in for dam_server.py: writes its pid and its worker's, loads a moment, then answers on the port (or exits at once). */
const SERVER_SCRIPT = `
const fs = require('node:fs');
const http = require('node:http');
const { spawn } = require('node:child_process');
const [port, pidFile, mode] = process.argv.slice(2);
const worker = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
fs.writeFileSync(pidFile, JSON.stringify({ server: process.pid, worker: worker.pid }));
console.log('loading model...');
if (mode === 'crash') { console.error('CUDA error: no device'); process.exit(3); }
setTimeout(() => http.createServer((req, res) => res.writeHead(404).end()).listen(Number(port), '127.0.0.1'), 300);
`;

describe('Describe Anything server', function () {
  this.timeout(60_000);
  let api: ImageCaptionerApi;
  let root: string;
  let script: string;
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('imageCaptioner');

  before(async () => {
    api = await activateExtension();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ic-dam-'));
    script = path.join(root, 'fake_dam_server.js');
    fs.writeFileSync(script, SERVER_SCRIPT);
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('imageCaptioner.dam.stopServer');
    writeMachineSettings({});
    await config().update('dam.baseUrl', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('points the catalogue\'s Describe Anything entry at imageCaptioner.dam.baseUrl', async () => {
    const dam = (): string | undefined => api.captioning.registry.find('dam/describe-anything')?.baseUrl;
    assert.equal(dam(), 'http://127.0.0.1:8000');
    await config().update('dam.baseUrl', 'http://127.0.0.1:8123/', vscode.ConfigurationTarget.Global);
    await waitFor(() => dam() === 'http://127.0.0.1:8123', 'the entry on the new base URL');
    assert.equal(api.captioning.registry.find('dam/describe-anything')?.provider, 'dam');
  });

  it('starts the command from the machine settings, ready once it answers, and Stop leaves no process of it', async () => {
    const port = await freePort();
    const pidFile = path.join(root, 'pids-ok.json');
    writeMachineSettings({ 'imageCaptioner.dam.serverCommand': [process.execPath, script, String(port), pidFile, 'ok'] });
    await config().update('dam.baseUrl', `http://127.0.0.1:${port}`, vscode.ConfigurationTarget.Global);
    await waitFor(() => (config().get<string[]>('dam.serverCommand') ?? []).length === 5, 'the machine setting read');
    const started = await vscode.commands.executeCommand<boolean>('imageCaptioner.dam.startServer');
    assert.equal(started, true);
    const answer = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(answer.status, 404, 'the server answers on the configured port');
    const pids = JSON.parse(fs.readFileSync(pidFile, 'utf8')) as { server: number; worker: number };
    assert.ok(alive(pids.server) && alive(pids.worker));
    await vscode.commands.executeCommand('imageCaptioner.dam.stopServer');
    await waitFor(() => !alive(pids.server) && !alive(pids.worker), 'the server and its worker gone');
  });

  it('a command that exits during start-up fails the start and leaves nothing behind', async () => {
    const pidFile = path.join(root, 'pids-crash.json');
    writeMachineSettings({ 'imageCaptioner.dam.serverCommand': [process.execPath, script, String(await freePort()), pidFile, 'crash'] });
    await waitFor(() => (config().get<string[]>('dam.serverCommand') ?? []).at(-1) === 'crash', 'the machine setting read');
    const started = await vscode.commands.executeCommand<boolean>('imageCaptioner.dam.startServer');
    assert.equal(started, false);
    const pids = JSON.parse(fs.readFileSync(pidFile, 'utf8')) as { server: number; worker: number };
    await waitFor(() => !alive(pids.worker), 'the worker it started gone');
  });
});
