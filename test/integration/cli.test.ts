import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listAudit } from '../../src/lib/audit';
import { consoleDbPath, openConsoleDb } from '../../src/lib/server/console-db';
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

  it('records where people get alert email, and changes or clears it later (audited)', async () => {
    const env = { CROSSDOCK_DATA_DIR: dataDir() };
    const added = await runCli(['user', 'add', '--login', 'dana', '--role', 'support', '--email', 'dana@example.com'], { ...env, CROSSDOCK_NEW_PASSWORD: 'correct horse battery' });
    expect(added.stdout).toContain('added dana (support, dana@example.com)');
    expect((await runCli(['user', 'email', '--login', 'dana', '--email', 'dana.k@example.com'], env)).stdout).toContain('dana gets alert email at dana.k@example.com');
    expect((await runCli(['user', 'email', '--login', 'dana', '--clear'], env)).stdout).toContain('dana has no email address now (no alert email)');

    const db = openConsoleDb(consoleDbPath(env.CROSSDOCK_DATA_DIR));
    try {
      expect(listAudit(db, { action: 'user.email_changed' }).items.map((entry) => entry.detail)).toEqual([
        { before: { email: 'dana.k@example.com' }, after: { email: null } },
        { before: { email: 'dana@example.com' }, after: { email: 'dana.k@example.com' } },
      ]);
    } finally {
      db.close();
    }
  });

  it('refuses an address that is not one, --email with --clear, and an unknown person', async () => {
    const env = { CROSSDOCK_DATA_DIR: dataDir() };
    const bad = await runCli(['user', 'email', '--login', 'dana', '--email', 'dana at example'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('crossdock user email: --email must be an email address such as ada@example.com');
    const both = await runCli(['user', 'email', '--login', 'dana', '--email', 'd@example.com', '--clear'], env);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('crossdock user email: give either --email ADDRESS or --clear');
    const unknown = await runCli(['user', 'email', '--login', 'nobody', '--email', 'n@example.com'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no user nobody');
  });
});
