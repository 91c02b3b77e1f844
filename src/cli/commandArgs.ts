/** Flag parsing every command shares: Node's strict `util.parseArgs`, its errors turned into one usage line. */
import { parseArgs } from 'node:util';
import { parseShard, ShardSpec, WHOLE } from '../core/dataset/shardOf';
import { CliUsageError, type FlagOptions } from './cliCommand';

/** Parses `args` strictly (an unknown flag or a missing value is a CliUsageError); positionals allowed. */
export function parseCommandArgs<O extends FlagOptions>(args: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (err) {
    // Node's messages are one sentence each, e.g. "Unknown option '--frmat'. To specify a positional argument starting with a '-', …".
    throw new CliUsageError(((err as Error).message.split('. To specify')[0] ?? '').replace(/\.$/, ''));
  }
}

/** The one positional argument a command takes (the dataset folder): missing or extra ones are usage errors. */
export function onePositional(positionals: readonly string[], name: string): string {
  if (positionals.length === 0) throw new CliUsageError(`missing ${name}`);
  if (positionals.length > 1) throw new CliUsageError(`expected one ${name}, got ${positionals.length}: ${positionals.join(' ')}`);
  return positionals[0];
}

/** `--shard I/N`, or the whole dataset without it; a bad value is a usage error that names the fix. */
export function shardFlag(value: string | undefined): ShardSpec {
  if (value === undefined) return WHOLE;
  try {
    return parseShard(value);
  } catch (err) {
    throw new CliUsageError((err as Error).message);
  }
}

/** A whole number flag within bounds (e.g. `--max-samples-per-shard 1000`). */
export function integerFlag(flag: string, value: string | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || number < min || number > max) throw new CliUsageError(`--${flag} ${value}: expected a whole number from ${min} to ${max}`);
  return number;
}

/** A flag with a fixed set of values (`--format csv`). */
export function choiceFlag<T extends string>(flag: string, value: string | undefined, choices: readonly T[], fallback?: T): T {
  if (value === undefined) {
    if (fallback === undefined) throw new CliUsageError(`missing --${flag} (one of ${choices.join(', ')})`);
    return fallback;
  }
  if (!(choices as readonly string[]).includes(value)) throw new CliUsageError(`--${flag} ${value}: expected one of ${choices.join(', ')}`);
  return value as T;
}
