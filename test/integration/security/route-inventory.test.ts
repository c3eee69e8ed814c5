import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissionMatrix, type Permission, type Role } from '../../../src/lib/server/auth/roles';
import { freePort, runCli, startCli, waitForHttp } from '../../support/cli';

/**
 * Every route of the built console, found on disk (a new one is tested without anyone listing
 * it), is either on the public allow-list or refuses anonymous callers; and every role gets
 * exactly what its permissions allow on every route and every mutating action (an explicit
 * table: a new mutating route or form page fails this test until someone says who may use it).
 */

const ROUTES = join(process.cwd(), 'src', 'routes');
const ROLES: Role[] = ['viewer', 'support', 'manager', 'approver', 'admin'];
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

/** Reachable without a session, and why. */
const PUBLIC: Record<string, string> = {
  '/login': 'the sign-in page',
  '/healthz': 'health for load balancers and operators',
  '/ack/[token]': 'the signed token in the path is the credential',
};

/** What reading each route needs; anything not listed needs `view`. */
const READ: Record<string, Permission> = {
  '/audit': 'audit',
  '/audit/export.csv': 'audit',
  '/api/v1/audit': 'audit',
  '/sla': 'reports',
  '/sla/export.csv': 'reports',
  '/api/v1/sla': 'reports',
  '/alerts/rules/new': 'administer',
};

/** Every mutating API handler and page form action, with the permission it needs. */
const WRITE: Record<string, Permission | 'signed in'> = {
  'POST /api/v1/exceptions/[id]/acknowledge': 'triage',
  'POST /api/v1/exceptions/bulk': 'triage',
  'POST /api/v1/proposals': 'triage',
  'POST /api/v1/proposals/[id]/approve': 'approve',
  'POST /api/v1/proposals/[id]/reject': 'approve',
  'POST /api/v1/proposals/[id]/edit': 'triage',
  'POST /api/v1/alerts/evaluate': 'administer',
  'POST /api/v1/alerts/groups/[id]/acknowledge': 'respond',
  'POST /api/v1/alerts/rules': 'administer',
  'PUT /api/v1/alerts/rules/[id]': 'administer',
  'DELETE /api/v1/alerts/rules/[id]': 'administer',
  'POST /api/v1/alerts/silences': 'respond',
  'POST /api/v1/alerts/silences/[id]/expire': 'respond',
  'PUT /api/v1/alerts/oncall/[id]': 'administer',
  'DELETE /api/v1/alerts/oncall/[id]': 'administer',
  'POST /exceptions?/bulk': 'triage',
  'POST /exceptions/[id]?/triage': 'triage',
  'POST /exceptions/[id]?/classify': 'triage',
  'POST /exceptions/[id]?/accept': 'triage',
  'POST /exceptions/[id]?/propose': 'triage',
  'POST /transactions/[id]?/propose': 'triage',
  'POST /remediations?/approve': 'approve',
  'POST /remediations?/reject': 'approve',
  'POST /remediations?/edit': 'triage',
  'POST /alerts?/acknowledge': 'respond',
  'POST /alerts?/silence': 'respond',
  'POST /alerts?/expire': 'respond',
  'POST /alerts/[id]?/acknowledge': 'respond',
  'POST /alerts/[id]?/silence': 'respond',
  'POST /alerts/[id]?/expire': 'respond',
  'POST /alerts/mail/[id]?/retry': 'respond',
  'POST /alerts/oncall?/save': 'administer',
  'POST /alerts/oncall?/remove': 'administer',
  'POST /alerts/templates?/save': 'administer',
  'POST /alerts/templates?/reset': 'administer',
  'POST /alerts/templates?/preview': 'administer',
  'POST /alerts/rules/new?/create': 'administer',
  'POST /alerts/rules/[id]?/save': 'administer',
  'POST /alerts/rules/[id]?/toggle': 'administer',
  'POST /alerts/rules/[id]?/reset': 'administer',
  'POST /alerts/rules/[id]?/remove': 'administer',
};

/** Routes on disk: pages (+page.svelte) and API handlers (+server.ts) with their methods. */
function discover(dir = ROUTES): { path: string; methods: Method[]; page: boolean; actions: boolean }[] {
  const found: { path: string; methods: Method[]; page: boolean; actions: boolean }[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      found.push(...discover(full));
      continue;
    }
    const path = `/${relative(ROUTES, dir).split(sep).filter((s) => s && !/^\(.*\)$/.test(s)).join('/')}`;
    if (name === '+server.ts') {
      const methods = [...readFileSync(full, 'utf8').matchAll(/export const (GET|POST|PUT|DELETE|PATCH)\b/g)].map((m) => m[1] as Method);
      found.push({ path, methods, page: false, actions: false });
    }
    if (name === '+page.svelte' || name === '+page.server.ts') {
      const actions = name === '+page.server.ts' && /export const actions\b/.test(readFileSync(full, 'utf8'));
      const existing = found.find((r) => r.path === path && r.page);
      if (existing) existing.actions ||= actions;
      else found.push({ path, methods: ['GET'], page: true, actions });
    }
  }
  return found;
}

/** A concrete URL for a route pattern. */
const SAMPLES: Record<string, string> = { id: '1', verb: 'acknowledge', token: 'not-a-token' };
const concrete = (pattern: string) => pattern.replace(/\[(\w+)\]/g, (_, name: string) => (pattern.startsWith('/transactions') ? 'S0000001' : (SAMPLES[name] ?? 'x')));

const allows = (role: Role, needs: Permission | 'signed in') => needs === 'signed in' || permissionMatrix()[role].includes(needs);

/** Pages that only sign-in sessions use: a service token has no session to end. */
const SESSION_ONLY = new Set(['/logout']);

describe('route inventory and RBAC matrix (built console)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crossdock-routes-'));
  const routes = discover();
  let base: string;
  let server: ReturnType<typeof startCli>;
  const tokens = {} as Record<Role, string>;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = startCli(['console'], { CROSSDOCK_DATA_DIR: dataDir, CROSSDOCK_CONSOLE_PORT: String(port), CROSSDOCK_COLLECTOR_PORT: String(await freePort()), CROSSDOCK_ALERT_EVAL_MS: '0', CROSSDOCK_EXCEPTION_INTAKE_MS: '0' });
    await waitForHttp(`${base}/healthz`);
    for (const role of ROLES) tokens[role] = (await runCli(['token', 'create', '--name', `routes-${role}`, '--role', role], { CROSSDOCK_DATA_DIR: dataDir })).stdout.trim();
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
  });

  /** One request; the body is read (or the stream cancelled) so nothing is left open. */
  async function call(method: string, path: string, role?: Role, form?: boolean): Promise<number> {
    const headers: Record<string, string> = { origin: base };
    if (role) headers.authorization = `Bearer ${tokens[role]}`;
    if (method !== 'GET') headers['content-type'] = form ? 'application/x-www-form-urlencoded' : 'application/json';
    // As a browser posts a form: answers are real statuses (303, 403), not SvelteKit's JSON for enhanced forms.
    if (form) headers.accept = 'text/html';
    const controller = new AbortController();
    const response = await fetch(`${base}${path}`, { method, headers, body: method === 'GET' ? undefined : form ? 'note=x' : '{}', redirect: 'manual', signal: controller.signal });
    if (response.headers.get('content-type')?.startsWith('text/event-stream')) controller.abort();
    else await response.arrayBuffer();
    return response.status;
  }

  it('finds the routes it should (the inventory is not empty or stale)', () => {
    const paths = routes.map((r) => r.path);
    expect(paths).toEqual(expect.arrayContaining(['/login', '/healthz', '/ack/[token]', '/alerts', '/api/v1/alerts/rules/[id]', '/sla/export.csv']));
    expect(routes.length).toBeGreaterThan(50);
  });

  it('refuses anonymous callers everywhere but the public allow-list', async () => {
    for (const route of routes) {
      const isPublic = route.path in PUBLIC;
      for (const method of route.methods) {
        const status = await call(method, concrete(route.path));
        if (isPublic) expect(status, `${method} ${route.path} is public`).not.toBe(401);
        else if (route.page || route.path.endsWith('.csv')) expect([303, 401], `${method} ${route.path} (anonymous)`).toContain(status);
        else expect(status, `${method} ${route.path} (anonymous)`).toBe(401);
      }
      if (route.actions && !isPublic) expect(await call('POST', `${concrete(route.path)}?/anything`, undefined, true), `POST ${route.path} actions (anonymous)`).toBe(303);
    }
  }, 60_000);

  it('lists every mutating route and form page in the permission table', () => {
    // A table line names a concrete verb (`…/[id]/approve`); the route on disk may take it as `[verb]`.
    const segments = (path: string) => path.split('/');
    const fits = (pattern: string, path: string) =>
      segments(pattern).length === segments(path).length && segments(pattern).every((s, i) => s === segments(path)[i] || /^\[\w+\]$/.test(s));
    const routeOf = (path: string) => routes.find((r) => r.path === path) ?? routes.find((r) => fits(r.path, path));
    const listed = new Set(
      Object.keys(WRITE)
        .filter((key) => !key.includes('?/'))
        .map((key) => {
          const [method, path] = key.split(' ');
          return `${method} ${routeOf(path)?.path ?? path}`;
        }),
    );
    for (const route of routes) for (const method of route.methods.filter((m) => m !== 'GET')) expect(listed, `${method} ${route.path} needs a line in WRITE`).toContain(`${method} ${route.path}`);
    for (const route of routes.filter((r) => r.actions && !(r.path in PUBLIC) && !SESSION_ONLY.has(r.path)))
      expect(Object.keys(WRITE).some((key) => key.startsWith(`POST ${route.path}?/`) || key === `POST ${route.path}`), `POST ${route.path} needs its actions in WRITE`).toBe(true);
  });

  it('gives each role exactly what its permissions allow on every read', async () => {
    for (const route of routes.filter((r) => !(r.path in PUBLIC) && r.methods.includes('GET'))) {
      const needs = READ[route.path] ?? 'view';
      for (const role of ROLES) {
        const status = await call('GET', concrete(route.path), role);
        if (allows(role, needs)) expect(status, `GET ${route.path} as ${role}`).not.toBe(403);
        else expect(status, `GET ${route.path} as ${role}`).toBe(403);
        expect(status, `GET ${route.path} as ${role}`).not.toBe(401);
      }
    }
  }, 120_000);

  it('gives each role exactly what its permissions allow on every mutating action', async () => {
    for (const [key, needs] of Object.entries(WRITE)) {
      const [method, target] = key.split(' ');
      const action = target.includes('?/');
      const [path, name] = target.split('?/');
      for (const role of ROLES) {
        const status = await call(method, `${concrete(path)}${action ? `?/${name}` : ''}`, role, action);
        if (allows(role, needs)) expect([401, 403], `${key} as ${role} (allowed)`).not.toContain(status);
        else expect(status, `${key} as ${role} (refused)`).toBe(403);
      }
    }
  }, 120_000);

  it('refuses sign-out to a service token: it has no session to end', async () => {
    for (const role of ROLES) expect(await call('POST', '/logout', role, true), `POST /logout as ${role} token`).toBe(403);
  });

  it('answers oversized and deeply nested bodies on every mutating route without a 5xx, and keeps serving', async () => {
    const oversized = `{"note":"${'a'.repeat(1_000_000)}"}`;
    const deepObject = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    const deepArray = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    for (const [key] of Object.entries(WRITE).filter(([k]) => !k.includes('?/'))) {
      const [method, path] = key.split(' ');
      for (const [name, body] of [['oversized', oversized], ['deep object', deepObject], ['deep array', deepArray]]) {
        const what = `${key} with a ${name} body`;
        let status: number;
        try {
          const response = await fetch(`${base}${concrete(path)}`, { method, headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json' }, body });
          await response.text();
          status = response.status;
        } catch (failure) {
          // The server answered before taking the whole body and closed the connection: refused.
          expect((failure as { cause?: { code?: string } }).cause?.code, what).toBe('ECONNRESET');
          status = 413;
        }
        expect(status, what).toBeLessThan(500);
        // A handler that reads its body says it is too large (not "not JSON"); one that never reads it answers as usual.
        if (name === 'oversized') expect(status, what).not.toBe(400);
      }
    }
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  }, 120_000);
});
