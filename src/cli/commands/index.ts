import type { Config } from '../../lib/config';
import { consoleCommand } from './console';
import { migrateCommand } from './migrate';
import { runtimeCommand } from './runtime';
import { simulateCommand } from './simulate';
import { startCommand } from './start';

export interface CommandOption {
  type: 'boolean' | 'string';
  description: string;
}

/** A `crossdock` subcommand: its help text, its flags, and what it does. Resolves to the exit code. */
export interface Command {
  summary: string;
  description: string;
  options?: Record<string, CommandOption>;
  run(context: { config: Config; flags: Record<string, unknown> }): Promise<number>;
}

export const commands: Record<string, Command> = {
  start: startCommand,
  console: consoleCommand,
  runtime: runtimeCommand,
  simulate: simulateCommand,
  migrate: migrateCommand,
};
