import { appendAudit } from '../../audit';
import type { ConsoleDb } from '../../server/console-db';
import { NoticeKind } from '../alert';
import { checkTemplate } from './template-check';

export { checkTemplate, TemplateError } from './template-check';

/**
 * Alert-email templates, one per notice kind, editable in the console. They are plain text with
 * mustache variables (`{{summary}}`); the HTML version shows the rendered body as escaped text,
 * so neither a template nor the data in it can put markup into a mail.
 */

/** A subject and a body, both mustache. */
export interface MailTemplate {
  subject: string;
  body: string;
}

/** A template as the console shows it: the stored one, or the default when none was saved. */
export interface StoredMailTemplate extends MailTemplate {
  kind: NoticeKind;
  /** false: the default, never edited or reset since. */
  custom: boolean;
  updatedBy: string | null;
  updatedAt: number | null;
}

// "[FIRING · CRITICAL] wms-rest: circuit to wms-rest open (2 alerts)"; a resolution has no severity.
const subjectWith = (severity: boolean) => `[{{status}}${severity ? ' · {{severity}}' : ''}] {{where}}: {{summary}}{{#several}} ({{count}} alerts){{/several}}`;

export const defaultTemplates: Record<NoticeKind, MailTemplate> = {
  firing: {
    subject: subjectWith(true),
    body: `Hello {{recipient}},

{{where}}: {{summary}}.
{{#several}}{{count}} alerts are firing ({{rules}}), the first{{/several}}{{^several}}Firing{{/several}} since {{since}} ({{duration}}).

Please acknowledge it so the others know someone is on it.`,
  },
  repeat: {
    subject: subjectWith(true),
    body: `Hello {{recipient}},

Still firing after {{duration}}: {{summary}}.
{{#links.acknowledge}}Nobody has acknowledged it yet.{{/links.acknowledge}}`,
  },
  escalation: {
    subject: subjectWith(true),
    body: `Hello {{recipient}},

This alert is escalated to you{{#escalatedFrom}}: {{escalatedFrom}} did not acknowledge it in time{{/escalatedFrom}}.
{{summary}} ({{where}}, firing for {{duration}}).

Please acknowledge it if you take it on.`,
  },
  resolved: {
    subject: subjectWith(false),
    body: `Hello {{recipient}},

Resolved after {{duration}}: {{summary}} ({{where}}).
Nothing more to do; the details are below for the record.`,
  },
};

interface Row {
  kind: string;
  subject: string;
  body: string;
  updated_by: string;
  updated_at: number;
}

/** The templates in `mail_templates`; a kind without a row uses its default. Every change is audited. */
export class TemplateStore {
  constructor(
    private readonly db: ConsoleDb,
    private readonly clock: () => number = Date.now,
  ) {}

  get(kind: NoticeKind): StoredMailTemplate {
    const row = this.db.prepare('SELECT * FROM mail_templates WHERE kind = ?').get(NoticeKind.parse(kind)) as Row | undefined;
    return row
      ? { kind, subject: row.subject, body: row.body, custom: true, updatedBy: row.updated_by, updatedAt: row.updated_at }
      : { kind, ...defaultTemplates[kind], custom: false, updatedBy: null, updatedAt: null };
  }

  all(): StoredMailTemplate[] {
    return NoticeKind.options.map((kind) => this.get(kind));
  }

  /** @throws TemplateError when the template is not valid; nothing is saved then. */
  save(kind: NoticeKind, input: MailTemplate, actor: string): StoredMailTemplate {
    const after = checkTemplate(input);
    return this.change(kind, actor, after, () =>
      this.db
        .prepare(
          `INSERT INTO mail_templates (kind, subject, body, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (kind) DO UPDATE SET subject = excluded.subject, body = excluded.body, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
        )
        .run(kind, after.subject, after.body, actor, this.clock()),
    );
  }

  /** Back to the default. */
  reset(kind: NoticeKind, actor: string): StoredMailTemplate {
    return this.change(kind, actor, defaultTemplates[kind], () => this.db.prepare('DELETE FROM mail_templates WHERE kind = ?').run(kind));
  }

  // The write and its audit entry commit together. Saving what is already there is not a change
  // worth an audit entry, but the row is still written so `custom` says what was last done.
  private change(kind: NoticeKind, actor: string, after: MailTemplate, write: () => void): StoredMailTemplate {
    NoticeKind.parse(kind);
    this.db
      .transaction(() => {
        const current = this.get(kind);
        const before = { subject: current.subject, body: current.body };
        write();
        if (before.subject !== after.subject || before.body !== after.body)
          appendAudit(this.db, { actor, action: 'mail_template.changed', subject: `mail_template:${kind}`, detail: { before, after: { subject: after.subject, body: after.body } } });
      })
      .immediate();
    return this.get(kind);
  }
}
