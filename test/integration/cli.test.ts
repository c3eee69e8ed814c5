import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';

const dataDir = () => mkdtempSync(join(tmpdir(), 'crossdock-cli-'));

describe('crossdock command', () => {
  it('lists every subcommand in --help', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const command of ['start', 'console', 'runtime', 'simulate', 'migrate']) expect(stdout).toMatch(new RegExp(`^  ${command}\\s+\\S`, 'm'));
  });

  it('shows help for one command', async () => {
    const { code, stdout } = await runCli(['migrate', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: crossdock migrate [options]');
    expect(stdout).toContain('--status');
  });

  it('exits 2 with a clear message for an unknown command', async () => {
    const { code, stderr } = await runCli(['deploy']);
    expect(code).toBe(2);
    expect(stderr).toContain('crossdock: unknown command "deploy"');
    expect(stderr).toContain('Commands: start, console, runtime, simulate, migrate.');
  });

  it('exits 2 with a clear message for a bad flag', async () => {
    const { code, stderr } = await runCli(['migrate', '--force']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/crossdock migrate: Unknown option '--force'/);
    expect(stderr).toContain('Run `crossdock migrate --help` for usage.');
    expect((await runCli(['--verbose'])).code).toBe(2);
  });

  it('stops at start-up naming the bad variable and the reason', async () => {
    const { code, stderr } = await runCli(['console'], { CROSSDOCK_CONSOLE_PORT: 'abc', CLICKHOUSE_URL: 'ftp://x' });
    expect(code).toBe(1);
    expect(stderr).toContain('CROSSDOCK_CONSOLE_PORT: must be a number');
    expect(stderr).toContain('CLICKHOUSE_URL: must use http:// or https://');
  });

  it('migrates the embedded ClickHouse, then finds nothing to do', async () => {
    const env = { CROSSDOCK_DATA_DIR: dataDir() };
    const first = await runCli(['migrate'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^applied {2}0001_create_otel_traces\.sql$/m);
    expect(first.stdout).toMatch(/already up to date \(embedded ClickHouse at .*clickhouse\)/);

    const again = await runCli(['migrate'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^0 applied, \d+ already up to date/m);

    const status = await runCli(['migrate', '--status'], env);
    expect(status.stdout).toMatch(/^\d+ applied, 0 pending$/m);
  });
});
