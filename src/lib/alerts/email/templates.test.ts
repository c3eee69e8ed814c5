import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aNotice } from '../../../../test/factories/alert-notice';
import { listAudit, verifyAudit } from '../../audit';
import { openConsoleDb, type ConsoleDb } from '../../server/console-db';
import { NoticeKind } from '../alert';
import { compose } from './compose';
import { templateVariables } from './template-variables';
import { checkTemplate, TemplateError } from './template-check';
import { defaultTemplates, TemplateStore } from './templates';
import { variablesOf } from './view';

function refusal(input: { subject?: string; body?: string }): TemplateError {
  try {
    checkTemplate({ subject: 'x', body: '', ...input });
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error('expected a TemplateError');
}

describe('template variables', () => {
  it('are exactly what the view of a notice holds, fields included', () => {
    const view = variablesOf(aNotice());
    expect(templateVariables.map((v) => v.name).sort()).toEqual(Object.keys(view).sort());
    const fieldsOf = (name: string) => templateVariables.find((v) => v.name === name)!.fields!.map((f) => f.name).sort();
    expect(fieldsOf('alerts')).toEqual(Object.keys(view.alerts[0]).sort());
    expect(fieldsOf('transactions')).toEqual(Object.keys(view.transactions[0]).sort());
    expect(fieldsOf('links')).toEqual(Object.keys(view.links).sort());
    for (const variable of templateVariables) expect(variable.description).not.toBe('');
  });
});

describe('checkTemplate', () => {
  it('accepts every default template, and each renders a subject naming the notice', () => {
    for (const kind of NoticeKind.options) {
      expect(checkTemplate(defaultTemplates[kind])).toEqual(defaultTemplates[kind]);
      expect(compose(aNotice({ kind }), defaultTemplates[kind]).subject).toMatch(/^\[(FIRING|REPEAT|ESCALATED|RESOLVED)[ ·\]]/);
    }
  });

  it('accepts list fields inside their section, outer names there too, and dotted object fields', () => {
    expect(() => checkTemplate({ subject: '{{where}}', body: '{{#alerts}}{{rule}} at {{where}}: {{runbook}}{{/alerts}} {{links.group}} {{#links.acknowledge}}ack: {{.}}{{/links.acknowledge}}{{^escalatedFrom}}direct{{/escalatedFrom}}{{! a comment }}' })).not.toThrow();
  });

  it('names a syntax error with its line and column', () => {
    const error = refusal({ body: 'Hello,\n{{#alerts}}{{summary}}\n' });
    expect(error.field).toBe('body');
    expect(error.message).toBe('the body has a syntax error at line 2, column 1: unclosed section "alerts"');
    expect(refusal({ subject: 'alert {{where' }).message).toBe('the subject has a syntax error at line 1, column 7: unclosed tag');
    expect(refusal({ body: '{{/alerts}}' }).message).toBe('the body has a syntax error at line 1, column 1: unopened section "alerts"');
  });

  it('refuses an unknown variable, suggesting the name it is closest to', () => {
    const error = refusal({ subject: '[{{status}}] {{sumary}}' });
    expect(error.field).toBe('subject');
    expect(error.message).toMatch(/^the subject uses an unknown variable \{\{sumary\}\} at line 1, column 14: did you mean \{\{summary\}\}\? \(variables here: kind, status, .*, links\)$/);
    expect(refusal({ body: '{{owner}}' }).message).not.toContain('did you mean');
  });

  it('refuses a list field outside its section, a missing object field, a list used as a value and partials', () => {
    expect(refusal({ body: 'x\n{{correlationId}}' }).message).toMatch(/^the body uses an unknown variable \{\{correlationId\}\} at line 2, column 1: \(variables here: kind, /);
    expect(refusal({ body: '{{links.grup}}' }).message).toBe('the body uses {{links.grup}} at line 1, column 1: links has no field grup (it has group, acknowledge, console)');
    expect(refusal({ body: '{{summary.text}}' }).message).toBe('the body uses {{summary.text}} at line 1, column 1: summary has no field text');
    expect(refusal({ body: '{{alerts}}' }).message).toBe('the body uses the list {{alerts}} as a value at line 1, column 1: write {{#alerts}}…{{/alerts}} and use its fields inside');
    expect(refusal({ body: '{{alerts.summary}}' }).message).toBe('the body reaches into the list {{alerts.summary}} at line 1, column 1: write {{#alerts}}…{{summary}}…{{/alerts}}');
    expect(refusal({ body: '{{#alerts}}{{nope}}{{/alerts}}' }).message).toMatch(/^the body uses an unknown variable \{\{nope\}\} at line 1, column 12: \(variables here: rule, summary, severity, value, since, duration, runbook, kind,/);
    expect(refusal({ body: '{{^alerts}}{{rule}}{{/alerts}}' }).message).toMatch(/^the body uses an unknown variable \{\{rule\}\} at line 1, column 12: did you mean \{\{rules\}\}\?/);
    expect(refusal({ body: '{{> footer}}' }).message).toBe('the body uses the partial {{> footer}} at line 1, column 1: partials are not supported');
    expect(refusal({ body: '{{.}}' }).message).toBe('the body uses {{.}} outside a section at line 1, column 1: it only means the current item inside {{#…}}');
  });

  it('holds the subject to one line of at most 200 characters and the body to 20,000', () => {
    expect(refusal({ subject: '{{where}}\n{{summary}}' }).message).toBe('the subject must be one line');
    expect(refusal({ subject: '  ' }).message).toBe('the subject is empty');
    expect(refusal({ subject: 'x'.repeat(201) }).message).toBe('the subject is 201 characters long; at most 200');
    expect(() => checkTemplate({ subject: 'x'.repeat(200), body: 'y'.repeat(20_000) })).not.toThrow();
    const long = refusal({ body: 'y'.repeat(20_001) });
    expect([long.field, long.message]).toEqual(['body', 'the body is 20001 characters long; at most 20000']);
    expect(refusal({ subject: 42 as unknown as string }).message).toBe('a template needs a subject and a body, both text');
  });
});

describe('TemplateStore', () => {
  let dir: string;
  let db: ConsoleDb;
  let store: TemplateStore;
  const custom = { subject: '[{{status}}] {{where}}', body: 'On it, {{recipient}}?' };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crossdock-templates-'));
    db = openConsoleDb(join(dir, 'console.db'));
    store = new TemplateStore(db, () => 1_700_000_000_000);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const auditOf = () => listAudit(db, { subject: 'mail_template:repeat' }).items;

  it('answers the default for a kind never saved, and all kinds in order', () => {
    expect(store.get('repeat')).toEqual({ kind: 'repeat', ...defaultTemplates.repeat, custom: false, updatedBy: null, updatedAt: null });
    expect(store.all().map((t) => t.kind)).toEqual(['firing', 'repeat', 'escalation', 'resolved']);
  });

  it('saves a valid template and audits the change with before and after', () => {
    expect(store.save('repeat', custom, 'ada')).toEqual({ kind: 'repeat', ...custom, custom: true, updatedBy: 'ada', updatedAt: 1_700_000_000_000 });
    expect(store.get('firing').custom).toBe(false);
    const [entry] = auditOf();
    expect(entry).toMatchObject({ actor: 'ada', action: 'mail_template.changed', detail: { before: defaultTemplates.repeat, after: custom } });
    expect(verifyAudit(db).ok).toBe(true);
  });

  it('saves nothing and audits nothing when the template is refused', () => {
    expect(() => store.save('repeat', { subject: '{{nope}}', body: '' }, 'ada')).toThrow(TemplateError);
    expect(store.get('repeat').custom).toBe(false);
    expect(auditOf()).toEqual([]);
  });

  it('resets to the default, audited; saving what is already there adds no audit entry', () => {
    store.save('repeat', custom, 'ada');
    store.save('repeat', custom, 'ada');
    expect(auditOf()).toHaveLength(1);
    expect(store.reset('repeat', 'grace')).toMatchObject({ ...defaultTemplates.repeat, custom: false });
    const [reset] = auditOf();
    expect(reset).toMatchObject({ actor: 'grace', detail: { before: custom, after: defaultTemplates.repeat } });
    expect(() => store.save('nonsense' as 'repeat', custom, 'ada')).toThrow();
  });
});
