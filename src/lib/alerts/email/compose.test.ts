import { describe, expect, it } from 'vitest';
import { aNotice, anAlert, aTransaction, NOTICE_AT } from '../../../../test/factories/alert-notice';
import { compose, groupReference } from './compose';
import { defaultTemplates } from './templates';
import { variablesOf } from './view';

const composeDefault = (notice = aNotice()) => compose(notice, defaultTemplates[notice.kind]);

describe('compose: subject', () => {
  it('says status, severity, where, the first summary and how many alerts, for each kind', () => {
    expect(composeDefault(aNotice({ kind: 'firing' })).subject).toBe('[FIRING · CRITICAL] wms-rest: circuit to wms-rest open (2 alerts)');
    expect(composeDefault(aNotice({ kind: 'repeat' })).subject).toBe('[REPEAT · CRITICAL] wms-rest: circuit to wms-rest open (2 alerts)');
    expect(composeDefault(aNotice({ kind: 'escalation' })).subject).toBe('[ESCALATED · CRITICAL] wms-rest: circuit to wms-rest open (2 alerts)');
    expect(composeDefault(aNotice({ kind: 'resolved' })).subject).toBe('[RESOLVED] wms-rest: circuit to wms-rest open (2 alerts)');
    expect(composeDefault(aNotice({ severity: 'warning', alerts: [anAlert({ severity: 'warning' })] })).subject).toBe('[FIRING · WARNING] wms-rest: circuit to wms-rest open');
  });

  it('is one line of at most 200 characters, not HTML-escaped', () => {
    const notice = aNotice({ alerts: [anAlert({ summary: 'orders <stuck> & "late"\r\n\tat wms-rest' })] });
    expect(composeDefault(notice).subject).toBe('[FIRING · CRITICAL] wms-rest: orders <stuck> & "late" at wms-rest');
    const long = composeDefault(aNotice({ alerts: [anAlert({ summary: 'x'.repeat(300) })] })).subject;
    expect(long).toHaveLength(200);
    expect(long.endsWith('x…')).toBe(true);
  });
});

describe('compose: bodies', () => {
  it('writes the rendered template, then each alert with its numbers and runbook, the transactions and the links, as text', () => {
    const { text } = composeDefault();
    expect(text).toMatch(/^Hello Ada Okafor,\n\nwms-rest: circuit to wms-rest open\.\n2 alerts are firing \(Partner circuit open, Orders stuck at a partner\), the first since 2026-11-27T14:48:00\.000Z \(12 min\)\./);
    expect(text).toContain('Alerts (2)\n----------\n* CRITICAL Partner circuit open: circuit to wms-rest open\n  value 1, firing for 12 min (since 2026-11-27T14:48:00.000Z)\n  runbook: https://runbooks.example.com/circuit-open\n');
    expect(text).toContain('* CRITICAL Orders stuck at a partner: 37 orders stuck at wms-rest (more than 25 for 10 min)\n  value 37, firing for 5 min');
    expect(text).toContain('* S00042  order_fulfillment, stuck at wms_accepted, warehouse wms-rest, 45 min old\n  https://ops.example.com/transactions/S00042');
    expect(text).toMatch(/Acknowledge: https:\/\/ops\.example\.com\/ack\/token-7\nOpen in console: https:\/\/ops\.example\.com\/alerts\/7\n$/);
  });

  it('says how long resolved alerts lasted, and leaves out the acknowledge link when there is none', () => {
    const resolved = aNotice({
      kind: 'resolved',
      alerts: [anAlert({ state: 'resolved', resolvedAt: NOTICE_AT - 2 * 60_000 })],
      links: { ...aNotice().links, acknowledge: null },
    });
    const { text, html } = compose(resolved, defaultTemplates.resolved, NOTICE_AT + 60 * 60_000);
    expect(text).toContain('Resolved after 10 min: circuit to wms-rest open (wms-rest).');
    expect(text).toContain('value 1, lasted 10 min');
    expect(text).not.toContain('Acknowledge');
    expect(html).not.toContain('Acknowledge');
    expect(html).toContain('>Open in console</a>');
  });

  it('names who did not acknowledge in an escalation', () => {
    const notice = aNotice({ kind: 'escalation', escalatedFrom: { login: 'grace', name: 'Grace Hopper', email: 'grace@crossdock.example' } });
    expect(composeDefault(notice).text).toContain('This alert is escalated to you: Grace Hopper did not acknowledge it in time.');
  });

  it('lists at most 10 transactions across the alerts, oldest first, each once, and says how many there are', () => {
    const txs = (from: number) => Array.from({ length: 8 }, (_, i) => aTransaction({ correlationId: `S${from + i}`, ageMs: (from + i) * 60_000 }));
    const notice = aNotice({ alerts: [anAlert({ affected: txs(100) }), anAlert({ id: 2, affected: txs(104) })] });
    const view = variablesOf(notice);
    expect(view.transactionCount).toBe(12);
    expect(view.transactions.map((t) => t.correlationId)).toEqual(['S111', 'S110', 'S109', 'S108', 'S107', 'S106', 'S105', 'S104', 'S103', 'S102']);
    const { text, html } = composeDefault(notice);
    expect(text).toContain('Affected transactions, oldest first (10 of 12)');
    expect(text.match(/\/transactions\//g)).toHaveLength(10);
    expect(html.match(/\/transactions\//g)).toHaveLength(10);
  });
});

describe('compose: hostile data', () => {
  const script = '<script>alert(1)</script>';
  const breakout = '"><img src=x onerror=alert(1)>';
  const hostile = aNotice({
    where: `wms-rest${script}`,
    recipient: { login: 'ada', name: `Ada ${breakout}`, email: 'ada@crossdock.example' },
    alerts: [
      anAlert({
        summary: `partner said: ${script}`,
        ruleName: `rule ${breakout}`,
        runbookUrl: 'javascript:alert(1)',
        affected: [aTransaction({ correlationId: breakout, warehouse: script, state: `it's & "odd"` })],
      }),
    ],
  });

  it('escapes every value in the HTML, whatever the template asks for, and links only http(s)', () => {
    const tripleMustache = { subject: '{{{summary}}}', body: '{{{summary}}} {{& where}} {{recipient}}' };
    for (const template of [defaultTemplates.firing, tripleMustache]) {
      const { html } = compose(hostile, template);
      expect(html).not.toMatch(/<script|<img|javascript:/i);
      expect(html).toContain('partner said: &lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).toContain('Ada &quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
      expect(html).toContain('it&#39;s &amp; &quot;odd&quot;');
    }
    const { html } = composeDefault(hostile);
    expect(html).toContain(`href="https://ops.example.com/transactions/${encodeURIComponent(breakout)}"`);
    expect(html).toContain('>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</a>');
  });

  it('keeps the same values intact in the subject and the text', () => {
    const { subject, text } = composeDefault(hostile);
    expect(subject).toBe(`[FIRING · CRITICAL] wms-rest${script}: partner said: ${script}`);
    expect(text).toContain(`Hello Ada ${breakout},`);
    expect(text).toContain(`* ${breakout}  order_fulfillment, it's & "odd" at wms_accepted, warehouse ${script}`);
    expect(text).toContain('runbook: javascript:alert(1)');
  });

  it('has no scripts, no images and nothing loaded from elsewhere', () => {
    const { html } = composeDefault();
    expect(html).not.toMatch(/<script|<img|<link|<iframe|src=|url\(|@import/i);
    expect(html).toMatch(/^<!DOCTYPE html>/);
  });
});

describe('compose: headers', () => {
  it('threads every later notice of a group under its first', () => {
    const firing = composeDefault(aNotice({ kind: 'firing' })).headers;
    const reference = groupReference(aNotice());
    expect(reference).toMatch(/^<alert-group-7\.[0-9a-f]{12}@ops\.example\.com>$/);
    expect(firing).toEqual({
      'Message-ID': reference,
      'X-Crossdock-Group': 'partner=wms-rest',
      'X-Crossdock-Notice': 'firing',
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
    });
    for (const kind of ['repeat', 'escalation', 'resolved'] as const) {
      const later = composeDefault(aNotice({ kind, at: NOTICE_AT + 60_000 })).headers;
      expect(later).toMatchObject({ References: reference, 'In-Reply-To': reference, 'X-Crossdock-Notice': kind });
      expect(later['Message-ID']).toBe(`<alert-group-7.${reference.slice(15, 27)}.${kind}-${NOTICE_AT + 60_000}@ops.example.com>`);
    }
  });

  it('keeps groups apart that share an id but not a key, and headers on one line', () => {
    expect(groupReference(aNotice({ groupKey: 'partner=edi-3pl' }))).not.toBe(groupReference(aNotice()));
    const headers = composeDefault(aNotice({ groupKey: 'partner=wms-rest\r\nBcc: someone@example.com' })).headers;
    expect(headers['X-Crossdock-Group']).toBe('partner=wms-rest Bcc: someone@example.com');
  });
});
