/** Datasets, a name-echoing fake server and process helpers for the `image-captioner caption` tests. */
import { spawn, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startOpenAiFakeServer, type FakeServerOptions, type LoggedRequest, type OpenAiFakeServer } from '../../fixtures/fakeServers/openAiFakeServer';
import { writeDataset, type FixtureImage } from '../export/exportTestKit';
import { BUNDLE } from './cliTestKit';

/** The prompt every caption test sends: the image's name is in it, so the server's answer depends on the image only. */
export const NAME_PROMPT_CONFIG = {
  // a comment, as a real .vscode/settings.json has
  'imageCaptioner.generation.length': 'custom',
  'imageCaptioner.generation.customPrompt': 'Describe {name} in {folder}.',
  'imageCaptioner.generation.suffix': 'photo',
};

/** Writes the config above as JSON with comments and a trailing comma; returns its path. */
export function writeNameConfig(dir: string): string {
  const file = path.join(dir, 'settings.json');
  const lines = Object.entries(NAME_PROMPT_CONFIG).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`);
  fs.writeFileSync(file, `// workspace settings\n{\n${lines.join('\n')}\n  "editor.fontSize": 14,\n}\n`);
  return file;
}

/** The image name a request asked about (from the prompt). */
export function askedName(request: LoggedRequest): string {
  const match = /Describe (\S+) in /.exec(JSON.stringify(request.body ?? ''));
  return match ? match[1] : '?';
}

/** The caption the CLI writes for `name` with the config above (the suffix joins after the sentence's full stop). */
export function expectedCaption(name: string): string {
  return `A photo of ${name}. photo`;
}

/** A server that answers "a photo of NAME" for each image, with `latencyMs` per request. */
export function startNameServer(options: FakeServerOptions = {}): Promise<OpenAiFakeServer> {
  return startOpenAiFakeServer({ ...options, replyText: (request) => `  A photo of ${askedName(request)}.  ` });
}

/** `count` tiny images spread over three folders, none captioned (or each with `caption`). */
export async function writeImages(dataset: string, count: number, caption?: string): Promise<FixtureImage[]> {
  const images = Array.from({ length: count }, (_, i): FixtureImage => ({ rel: `${['', 'a/', 'b/c/'][i % 3]}img${String(i).padStart(3, '0')}.png`, width: 8, height: 8, caption }));
  fs.mkdirSync(dataset, { recursive: true });
  await writeDataset(dataset, images);
  return images;
}

/** The caption file of an image (rel path with extension). */
export function captionOf(dataset: string, rel: string): string | undefined {
  const file = path.join(dataset, rel.replace(/\.[^.]+$/, '.txt'));
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

export interface Spawned {
  readonly child: ChildProcess;
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** `node dist/cli.js ...args` as its own process. */
export function spawnCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Spawned {
  const child = spawn(process.execPath, [BUNDLE, ...args], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}
