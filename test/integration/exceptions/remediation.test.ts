import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOfflineClassifier } from '../../../src/lib/ai';
import { listAudit, verifyAudit } from '../../../src/lib/audit';
import { ExceptionStore, IncidentQueue } from '../../../src/lib/exceptions';
import { DeadLetterIntake } from '../../../src/lib/exceptions/intake/dead-letter-intake';
import { defaultServiceClasses } from '../../../src/lib/integration/delivery';
import { PartnerUnavailableError } from '../../../src/lib/integration/errors';
import { startRuntime, type Runtime } from '../../../src/lib/integration/runtime';
import { ProposalBook, RemediationError } from '../../../src/lib/remediation';
import { openConsoleDb, type ConsoleDb } from '../../../src/lib/server/console-db';
import { RuntimeAdminClient } from '../../../src/lib/server/runtime-admin';
import { approve, propose } from '../../../src/lib/server/triage-actions';
import { anEnvelope } from '../../factories/envelopes';
import { eventually } from '../../support/runtime-parts';

// The console's side of remediation against a real runtime (bus, dead letters, admin API): the
// dead-letter intake, an accepted AI suggestion, four eyes, racing approvals, and the audit trail.
const token = 'remediation-test-token-0123456789';
const fast = { maxAttempts: 2, baseDelayMs: 20, maxDelayMs: 40 };
let runtime: Runtime;
let dir: string;
let db: ConsoleDb;
let down = true;
const handled = new Map<string, number>();

let store: ExceptionStore;
let queue: IncidentQueue;
let proposals: ProposalBook;
let client: RuntimeAdminClient;
let intake: DeadLetterIntake;
const intakeStub = { intake: { runOnce: async () => ({ newIncidents: 0 }), stop: async () => undefined } };
const services = () => ({ proposals, runtime: client, exceptions: { store, queue, ...intakeStub } });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crossdock-remediation-'));
  runtime = await startRuntime({
    config: { host: '127.0.0.1', adminPort: 0, natsUrl: undefined, adminToken: token, idempotencyWindowMs: 60_000 },
    dataDir: join(dir, 'runtime'),
    routes: [
      {
        topic: 'orders.released',
        handle: async (envelope) => {
          if (down) throw new PartnerUnavailableError('POST /v1/orders answered 503 Service Unavailable', { status: 503 });
          handled.set(envelope.correlationid, (handled.get(envelope.correlationid) ?? 0) + 1);
        },
      },
    ],
    endpoints: { 'wms-rest': {} },
    classes: { ...defaultServiceClasses, realtime: { ...defaultServiceClasses.realtime, retry: fast } },
    graceMs: 500,
  });
  db = openConsoleDb(join(dir, 'console.db'));
  store = new ExceptionStore(db);
  queue = new IncidentQueue(db);
  proposals = new ProposalBook(db, queue, 60_000);
  const port = Number(new URL(runtime.admin.url).port);
  client = new RuntimeAdminClient({ host: '127.0.0.1', adminPort: port, adminToken: token } as never);
  intake = new DeadLetterIntake(client, store);
});
afterAll(async () => {
  await runtime.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('remediation through the runtime', () => {
  let incidentId: number;

  it('mirrors the dead letters of an outage as one incident with a member per order', async () => {
    for (const id of ['S01001', 'S01002', 'S01003']) await runtime.bus.publish('orders.released', anEnvelope({ serviceclass: 'realtime', correlationid: id }));
    await eventually(async () => (await client.deadLettersChangedSince(new Date(0).toISOString())).length === 3, 20_000);
    const first = await intake.pass();
    expect(first.read).toBe(3);
    expect(first.newIncidents).toHaveLength(1);
    incidentId = first.newIncidents[0];
    const incident = queue.get(incidentId)!;
    expect(incident).toMatchObject({ category: 'partner_unavailable', members: 3, openMembers: 3, ordersAffected: 3, status: 'open' });
    expect(queue.members(incidentId).every((m) => m.deadLetterId && m.attempts === 2)).toBe(true);
    // Reading again changes nothing: the cursor re-reads its boundary, a dead letter's report is its total.
    await intake.pass();
    expect(queue.get(incidentId)).toMatchObject({ members: 3, openMembers: 3 });
  });

  it('accepts the AI suggestion as a proposal that runs nothing by itself and that its proposer cannot approve', async () => {
    const classifier = createOfflineClassifier();
    const sample = queue.members(incidentId, { limit: 1 })[0];
    const ai = await classifier.classify({ id: 'x', source: sample.source, operation: sample.operation, error: sample.error, http_status: 503 });
    expect(ai).toMatchObject({ category: 'partner_unavailable', action: 'replay' });
    queue.setClassification(incidentId, { ...ai });

    const proposal = propose(services() as never, { incidentId, acceptSuggestion: true }, 'sam');
    expect(proposal).toMatchObject({ action: 'replay', origin: 'ai', status: 'proposed', proposedBy: 'sam', suggestion: { engine: 'offline', action: 'replay' } });
    expect(proposal.targets).toHaveLength(3);
    // A double click proposes once.
    expect(() => propose(services() as never, { incidentId, acceptSuggestion: true }, 'sam')).toThrow(/already waiting/);
    await new Promise((r) => setTimeout(r, 200));
    expect([...handled.values()]).toEqual([]);
    expect(() => proposals.approve(proposal.id, 'sam')).toThrow(RemediationError);
    expect(() => proposals.approve(proposal.id, 'sam')).toThrow(/four eyes/);
  });

  it('runs once however many approvals race, then closes the incident when the runtime reports the replays', async () => {
    down = false;
    const [proposal] = proposals.list({ incidentId, status: 'proposed' });
    const results = await Promise.allSettled([approve(services(), proposal.id, 'ava'), approve(services(), proposal.id, 'bo'), approve(services(), proposal.id, 'ava')]);
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason.message))).toEqual([
      expect.stringMatching(/already executing|already succeeded/),
      expect.stringMatching(/already executing|already succeeded/),
    ]);
    const done = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof approve>>>).value;
    expect(done.status).toBe('succeeded');
    expect(done.outcome!.map((o) => o.result)).toEqual(['done', 'done', 'done']);
    await eventually(() => handled.size === 3, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(Object.fromEntries(handled)).toEqual({ S01001: 1, S01002: 1, S01003: 1 });

    await intake.pass();
    expect(queue.get(incidentId)).toMatchObject({ openMembers: 0, status: 'resolved', resolvedBy: 'system' });
  });

  it('expires a proposal nobody decided, and refuses to approve it', () => {
    const book = new ProposalBook(db, queue, 1);
    const incident = queue.get(incidentId)!;
    expect(incident.status).toBe('resolved');
    // A recommendation needs no open dead letter; it concerns the incident's transactions.
    const rec = new ProposalBook(db, queue, 60_000).propose({ incidentId, action: 'escalate_partner', params: { reason: 'WMS 503s all morning' } }, 'sam');
    expect(rec.executable).toBe(false);
    const stale = book.propose({ incidentId, action: 'manual_review' }, 'sam');
    const later = Date.now() + 10;
    while (Date.now() < later);
    expect(() => book.approve(stale.id, 'ava')).toThrow(/already expired/);
    expect(book.get(stale.id)!.status).toBe('expired');
    expect(proposals.approve(rec.id, 'ava').status).toBe('approved');
  });

  it('leaves an audit trail that verifies, with the AI suggestion and the outcome', () => {
    const trail = listAudit(db, { action: 'proposal', limit: 100 }).items.reverse();
    const first = trail.find((e) => e.action === 'proposal.created')!;
    expect(first).toMatchObject({ actor: 'sam', detail: { suggestion: { engine: 'offline', action: 'replay' } } });
    const steps = trail.filter((e) => e.subject === first.subject).map((e) => `${e.action} by ${e.actor}`);
    expect(steps).toEqual(['proposal.created by sam', 'proposal.approved by ava', 'proposal.executed by ava', 'proposal.succeeded by ava']);
    const succeeded = trail.find((e) => e.subject === first.subject && e.action === 'proposal.succeeded')!;
    expect(succeeded.detail.correlationIds).toEqual(['S01001', 'S01002', 'S01003']);
    expect(listAudit(db, { action: 'incident.resolved' }).items[0]).toMatchObject({ actor: 'system', subject: `incident:${incidentId}` });
    expect(verifyAudit(db).ok).toBe(true);
  });
});
