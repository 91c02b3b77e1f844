/**
 * The VS Code servers the integration suite runs on: today's, and the oldest VS Code that
 * `engines.vscode` claims. Installed by scripts/ensure-vscode-server.sh (keep the two in step).
 */

/** One installed code-server release and the Node it runs on. */
export interface ServerVersion {
  /** npm version of code-server. */
  readonly codeServer: string;
  /** Its folder in the test cache. */
  readonly folder: string;
  /** Node major its VS Code server is built for (the cache's `node<major>`). */
  readonly nodeMajor: number;
}

export const SERVERS = {
  current: { codeServer: '4.139.1', folder: 'code-server', nodeMajor: 24 },
  /** VS Code 1.99.3: the minimum in package.json's engines.vscode (1.96.4 failed: its `inspect()` merges the user's and the remote machine's settings, hiding the user's models). */
  oldest: { codeServer: '4.99.4', folder: 'code-server-4.99.4', nodeMajor: 20 },
} as const satisfies Record<string, ServerVersion>;

export type ServerName = keyof typeof SERVERS;

/** The server named by `--server <name>` (or `IMAGE_CAPTIONER_SERVER`), today's by default. */
export function serverFromArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ServerName {
  const i = argv.findIndex((a) => a === '--server' || a.startsWith('--server='));
  const value = i < 0 ? env.IMAGE_CAPTIONER_SERVER || 'current' : argv[i].includes('=') ? argv[i].slice('--server='.length) : argv[i + 1];
  if (value === undefined || !(value in SERVERS)) throw new Error(`--server must be one of ${Object.keys(SERVERS).join(', ')} (got ${value})`);
  return value as ServerName;
}
