import type { AffectedTransaction, Alert, Notice } from '../../src/lib/alerts/alert';

/**
 * Alert notices as the notifier hands them to the mail module, for tests to start from: a group
 * of two critical alerts at wms-rest (its circuit open, orders stuck behind it), noticed at
 * 2026-11-27 15:00Z.
 */

export const NOTICE_AT = Date.parse('2026-11-27T15:00:00Z');

export const aTransaction = (overrides: Partial<AffectedTransaction> = {}): AffectedTransaction => ({
  correlationId: 'S00042',
  process: 'order_fulfillment',
  state: 'stuck',
  currentStep: 'wms_accepted',
  warehouse: 'wms-rest',
  ageMs: 45 * 60_000,
  ...overrides,
});

export const anAlert = (overrides: Partial<Notice['alerts'][number]> = {}): Notice['alerts'][number] => ({
  id: 1,
  fingerprint: 'circuit-open/wms-rest',
  ruleId: 'circuit-open',
  ruleName: 'Partner circuit open',
  runbookUrl: 'https://runbooks.example.com/circuit-open',
  groupKey: 'partner=wms-rest',
  labels: { rule: 'circuit-open', warehouse: 'wms-rest' } satisfies Alert['labels'],
  severity: 'critical',
  state: 'firing',
  value: 1,
  summary: 'circuit to wms-rest open',
  affected: [],
  pendingSince: NOTICE_AT - 14 * 60_000,
  firingSince: NOTICE_AT - 12 * 60_000,
  lastTrueAt: NOTICE_AT,
  resolvedAt: null,
  evaluatedAt: NOTICE_AT,
  ...overrides,
});

export const aNotice = (overrides: Partial<Notice> = {}): Notice => ({
  kind: 'firing',
  groupId: 7,
  groupKey: 'partner=wms-rest',
  where: 'wms-rest',
  severity: 'critical',
  alerts: [
    anAlert(),
    anAlert({
      id: 2,
      fingerprint: 'orders-stuck/wms-rest',
      ruleId: 'orders-stuck',
      ruleName: 'Orders stuck at a partner',
      runbookUrl: null,
      value: 37,
      summary: '37 orders stuck at wms-rest (more than 25 for 10 min)',
      firingSince: NOTICE_AT - 5 * 60_000,
      affected: [aTransaction(), aTransaction({ correlationId: 'S00043', ageMs: 30 * 60_000 })],
    }),
  ],
  recipient: { login: 'ada', name: 'Ada Okafor', email: 'ada@crossdock.example' },
  links: { group: 'https://ops.example.com/alerts/7', acknowledge: 'https://ops.example.com/ack/token-7', console: 'https://ops.example.com' },
  at: NOTICE_AT,
  ...overrides,
});
