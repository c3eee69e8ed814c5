import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/crossdock.js', import.meta.url));

/** A `crossdock <command>` running as a child of `crossdock start`. */
export interface Component {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

/**
 * Starts `crossdock <args>` in its own process with `env`, prefixing its output lines with the
 * component's name so one terminal shows everything. The child gets a process group of its own,
 * so Ctrl+C in the terminal reaches only the parent, which stops its children in order (the
 * traffic generator switches its incidents off while the simulators still answer).
 */
export function startComponent(name: string, args: string[], env: NodeJS.ProcessEnv): Component {
  const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  for (const stream of [child.stdout!, child.stderr!]) {
    const lines = createInterface({ input: stream });
    lines.on('line', (line) => console.log(line.startsWith(name) ? line : `${name.padEnd(9)} ${line}`));
  }
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    name,
    child,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timeout = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timeout);
      return code;
    },
  };
}
