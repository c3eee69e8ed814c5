import type { Config } from '../../lib/config';
import { auditCommand } from './audit';
import { classifyCommand } from './classify';
import { consoleCommand } from './console';
import { migrateCommand } from './migrate';
import { runtimeCommand } from './runtime';
import { simulateCommand } from './simulate';
import { startCommand } from './start';
import { tokenCommand } from './token';
import { trafficCommand } from './traffic';
import { userCommand } from './user';

export interface CommandOption {
  type: 'boolean' | 'string';
  description: string;
}

/** A word after the command name, e.g. `create` in `crossdock token create`. */
export interface CommandPositional {
  name: string;
  description: string;
  /** The accepted values; anything else is a usage error (exit 2). */
  choices?: readonly string[];
  required?: boolean;
}

/** A `crossdock` subcommand: its help text, its flags, and what it does. Resolves to the exit code. */
export interface Command {
  summary: string;
  description: string;
  options?: Record<string, CommandOption>;
  positionals?: CommandPositional[];
  run(context: { config: Config; flags: Record<string, unknown>; args: string[] }): Promise<number>;
}

export const commands: Record<string, Command> = {
  start: startCommand,
  console: consoleCommand,
  runtime: runtimeCommand,
  simulate: simulateCommand,
  traffic: trafficCommand,
  migrate: migrateCommand,
  user: userCommand,
  token: tokenCommand,
  classify: classifyCommand,
  audit: auditCommand,
};
