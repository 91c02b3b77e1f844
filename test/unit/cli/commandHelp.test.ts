import { strict as assert } from 'node:assert';
import * as os from 'node:os';
import { EXIT } from '../../../src/cli/cliCommand';
import { COMMANDS } from '../../../src/cli/commandList';
import { cli } from './cliTestKit';

/** The `--flag` words a help text names. */
function flagsNamed(help: string): Set<string> {
  return new Set([...help.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*)/g)].map((m) => m[1]));
}

describe('image-captioner --help: every command, every flag', () => {
  it('the top-level help lists every registered command with its summary', async () => {
    const run = await cli(os.tmpdir(), '--help');
    assert.equal(run.code, EXIT.ok);
    assert.ok(COMMANDS.length >= 3, 'export, import and stats at least');
    for (const command of COMMANDS) assert.match(run.stdout, new RegExp(`\\n  ${command.name} +${command.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`));
  });

  for (const command of COMMANDS) {
    describe(command.name, () => {
      it('--help prints the whole help: usage, every flag it accepts, no flag it does not, an example', async () => {
        const run = await cli(os.tmpdir(), command.name, '--help');
        assert.equal(run.code, EXIT.ok);
        assert.equal(run.stderr, '');
        assert.equal(run.stdout, command.help.endsWith('\n') ? command.help : `${command.help}\n`);
        assert.match(command.help, new RegExp(`^Usage: image-captioner ${command.name}\\b`));
        assert.match(command.help, /\nExamples?:\n {2}image-captioner /);
        const named = flagsNamed(command.help);
        for (const flag of Object.keys(command.flags)) assert.ok(named.has(flag), `--${flag} is accepted but not in the help`);
        for (const flag of named) assert.ok(flag in command.flags || flag === 'help', `the help names --${flag}, which the command does not accept`);
      });

      it('-h anywhere among the arguments is the same help', async () => {
        const run = await cli(os.tmpdir(), command.name, 'some-dataset', '-h');
        assert.equal(run.code, EXIT.ok);
        assert.equal(run.stdout, command.help.endsWith('\n') ? command.help : `${command.help}\n`);
      });

      it('an unknown flag is a usage error on one line', async () => {
        const run = await cli(os.tmpdir(), command.name, 'dataset', '--no-such-flag');
        assert.equal(run.code, EXIT.usage);
        assert.match(run.stderr, new RegExp(`^image-captioner ${command.name}: [^\\n]*--no-such-flag[^\\n]*\\n$`));
      });
    });
  }
});
