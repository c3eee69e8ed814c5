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
    for (const command of ['start', 'console', 'runtime', 'simulate', 'traffic', 'migrate', 'user', 'token']) expect(stdout).toMatch(new RegExp(`^  ${command}\\s+\\S`, 'm'));
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
    expect(stderr).toContain('Commands: start, console, runtime, simulate, traffic, migrate, user, token, classify, audit.');
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

  it('checks positional arguments', async () => {
    const missing = await runCli(['token']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('crossdock token: missing <action>');
    const wrong = await runCli(['token', 'delete']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('crossdock token: unknown action "delete" (expected create, list, revoke)');
    const extra = await runCli(['migrate', 'now']);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain("crossdock migrate: Unexpected argument 'now'");
  });

  it('creates, lists and revokes service tokens, and adds people', async () => {
    const env = { CROSSDOCK_DATA_DIR: dataDir() };
    const created = await runCli(['token', 'create', '--name', 'erp-sync', '--role', 'viewer'], env);
    expect(created.code).toBe(0);
    expect(created.stdout.trim()).toMatch(/^cdk_[A-Za-z0-9_-]{43}$/);
    expect((await runCli(['token', 'create', '--name', 'erp-sync', '--role', 'viewer'], env)).stderr).toContain('a token named erp-sync already exists');
    expect((await runCli(['token', 'create', '--name', 'x y', '--role', 'viewer'], env)).code).toBe(2);
    expect((await runCli(['token', 'create', '--name', 'bi', '--role', 'root'], env)).stderr).toContain('--role must be one of viewer, support, manager, approver, admin');
    expect((await runCli(['token', 'list'], env)).stdout).toMatch(/^erp-sync\s+viewer\s+active\s+last used never$/m);
    expect((await runCli(['token', 'revoke', '--name', 'erp-sync'], env)).stdout).toContain('revoked erp-sync');
    expect((await runCli(['token', 'list'], env)).stdout).toMatch(/^erp-sync\s+viewer\s+revoked/m);

    const added = await runCli(['user', 'add', '--login', 'dana', '--role', 'support'], { ...env, CROSSDOCK_NEW_PASSWORD: 'correct horse battery' });
    expect(added.stdout).toContain('added dana (support)');
    const weak = await runCli(['user', 'add', '--login', 'lee', '--role', 'viewer'], { ...env, CROSSDOCK_NEW_PASSWORD: 'short' });
    expect(weak.code).toBe(2);
    expect(weak.stderr).toContain('must be at least 10 characters');
  });
});
