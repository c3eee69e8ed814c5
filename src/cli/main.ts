import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../lib/config';
import { commands, type Command } from './commands';
import { CommandError, UsageError } from './usage';

const overview = () => `Usage: crossdock <command> [options]

Crossdock moves orders, inventory, shipments and returns between Odoo and warehouse
platforms, and shows what happened to every business transaction.

Commands:
${Object.entries(commands)
  .map(([name, command]) => `  ${name.padEnd(10)}${command.summary}`)
  .join('\n')}

Options:
  -h, --help     Show help (for a command: crossdock <command> --help)

Configuration comes from environment variables; see README.md.`;

const commandHelp = (name: string, command: Command) => {
  // Wide enough for the longest flag, so descriptions line up instead of running into it.
  const width = Math.max(12, ...Object.keys(command.options ?? {}).map((flag) => flag.length + 2));
  return `Usage: crossdock ${name}${(command.positionals ?? []).map((p) => (p.required ? ` <${p.name}>` : ` [${p.name}]`)).join('')}${command.options ? ' [options]' : ''}

${command.description}
${(command.positionals ?? [])
  .map((p) => `\n  ${p.name.padEnd(12)}${p.description}${p.choices ? ` (${p.choices.join(', ')})` : ''}`)
  .join('')}
${
  command.options
    ? `\nOptions:\n${Object.entries(command.options)
        .map(([flag, option]) => `  --${flag.padEnd(width)}${option.description}`)
        .join('\n')}\n  ${'-h, --help'.padEnd(width + 2)}Show this help`
    : '\nOptions:\n  -h, --help    Show this help'
}`;
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic && topic in commands) console.log(commandHelp(topic, commands[topic]));
    else console.log(overview());
    return 0;
  }
  if (name.startsWith('-')) throw new UsageError(`unknown option ${name}`);
  const command = commands[name];
  if (!command) throw new UsageError(`unknown command "${name}"`, `Commands: ${Object.keys(commands).join(', ')}.`);

  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      options: {
        help: { type: 'boolean', short: 'h' },
        ...Object.fromEntries(Object.entries(command.options ?? {}).map(([flag, o]) => [flag, { type: o.type }])),
      },
      strict: true,
      allowPositionals: Boolean(command.positionals?.length),
    }));
  } catch (error) {
    throw new UsageError(`crossdock ${name}: ${(error as Error).message}`, `Run \`crossdock ${name} --help\` for usage.`);
  }
  if (values.help) {
    console.log(commandHelp(name, command));
    return 0;
  }
  checkPositionals(name, command, positionals);
  return command.run({ config: loadConfig(process.env), flags: values, args: positionals });
}

function checkPositionals(name: string, command: Command, args: string[]) {
  const expected = command.positionals ?? [];
  const hint = `Run \`crossdock ${name} --help\` for usage.`;
  if (args.length > expected.length) throw new UsageError(`crossdock ${name}: unexpected argument "${args[expected.length]}"`, hint);
  expected.forEach((p, i) => {
    if (args[i] === undefined) {
      if (p.required) throw new UsageError(`crossdock ${name}: missing <${p.name}>`, hint);
    } else if (p.choices && !p.choices.includes(args[i]))
      throw new UsageError(`crossdock ${name}: unknown ${p.name} "${args[i]}" (expected ${p.choices.join(', ')})`, hint);
  });
}

// A bug in one request or background task must not take the whole process down with it:
// log it loudly and keep serving.
process.on('unhandledRejection', (reason) => console.error('crossdock: unhandled rejection (a bug; please report it):', reason));

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`crossdock: ${error.message}\n${error.hint}`);
    process.exitCode = 2;
  } else if (error instanceof ConfigError || error instanceof CommandError) {
    console.error(`crossdock: ${error.message}`);
    process.exitCode = 1;
  } else {
    console.error('crossdock: failed:', error);
    process.exitCode = 1;
  }
}

// The command has finished its work (servers closed, queues drained, telemetry flushed within its
// bound). What a library leaves behind — an exporter still retrying an unreachable collector, a
// keep-alive socket — must not hold the process for seconds more.
setTimeout(() => process.exit(), 500).unref();
