import { z } from 'zod';
import { appendAudit } from '../audit';
import { ServiceClass } from '../integration/canonical/primitives';
import { ProcessName } from '../processes/milestones';
import type { ConsoleDb } from '../server/console-db';
import type { AlertLabels } from './alert';
import { recordEvent } from './alert-book';
import { AlertingError } from './errors';
import { RuleId } from './rules/rule';

const DAY = 86_400_000;

/** Which alerts a silence covers: every label given must match (at least one is required). */
export const Matchers = z
  .object({
    rule: RuleId.optional(),
    warehouse: z.string().trim().min(1).max(64).optional(),
    process: ProcessName.optional(),
    serviceClass: ServiceClass.optional(),
  })
  .strict()
  .refine((m) => Object.values(m).some((v) => v !== undefined), 'name at least one of rule, warehouse, process or service class');
export type Matchers = z.infer<typeof Matchers>;

/**
 * A silence mutes notifications for alerts already known to be noisy; a maintenance window is
 * planned ahead for work on a partner. Both keep evaluating (the console still shows the alerts)
 * and only hold back email; both need an author and a reason, and are audited.
 */
export const SilenceInput = z
  .object({
    kind: z.enum(['silence', 'maintenance']).default('silence'),
    matchers: Matchers,
    startsAt: z.coerce.date().optional(),
    endsAt: z.coerce.date({ error: 'must be a date and time' }),
    reason: z.string().trim().min(3, 'say why (at least 3 characters)').max(500),
  })
  .strict();
export type SilenceInput = z.input<typeof SilenceInput>;

export interface Silence {
  id: number;
  kind: 'silence' | 'maintenance';
  matchers: Matchers;
  startsAt: number;
  endsAt: number;
  author: string;
  reason: string;
  createdAt: number;
  expiredBy: string | null;
  expiredAt: number | null;
}

interface Row {
  id: number;
  kind: string;
  matchers: string;
  starts_at: number;
  ends_at: number;
  author: string;
  reason: string;
  created_at: number;
  expired_by: string | null;
  expired_at: number | null;
}

const toSilence = (row: Row): Silence => ({
  id: row.id,
  kind: row.kind as Silence['kind'],
  matchers: JSON.parse(row.matchers) as Matchers,
  startsAt: row.starts_at,
  endsAt: row.ends_at,
  author: row.author,
  reason: row.reason,
  createdAt: row.created_at,
  expiredBy: row.expired_by,
  expiredAt: row.expired_at,
});

/** Whether a silence's matchers cover an alert's labels. */
export const covers = (matchers: Matchers, labels: AlertLabels): boolean =>
  (Object.entries(matchers) as [keyof Matchers, string | undefined][]).every(([key, value]) => value === undefined || labels[key] === value);

export class SilenceBook {
  constructor(private readonly db: ConsoleDb) {}

  create(input: SilenceInput, author: string, now = Date.now()): Silence {
    const parsed = SilenceInput.safeParse(input);
    if (!parsed.success) throw new AlertingError(422, parsed.error.issues.map((i) => `${i.path.join('.') || 'silence'}: ${i.message}`).join('; '));
    const s = parsed.data;
    const startsAt = s.startsAt?.getTime() ?? now;
    const endsAt = s.endsAt.getTime();
    if (endsAt <= Math.max(startsAt, now)) throw new AlertingError(422, 'endsAt: must be after the start and in the future');
    if (endsAt - startsAt > 30 * DAY) throw new AlertingError(422, 'endsAt: a silence lasts at most 30 days');
    return this.db.transaction(() => {
      const id = Number(
        this.db
          .prepare('INSERT INTO silences (kind, matchers, starts_at, ends_at, author, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(s.kind, JSON.stringify(s.matchers), startsAt, endsAt, author, s.reason, now).lastInsertRowid,
      );
      const detail = { silence: id, kind: s.kind, matchers: s.matchers, startsAt, endsAt, reason: s.reason };
      appendAudit(this.db, { actor: author, action: 'silence.created', subject: `silence:${id}`, detail });
      recordEvent(this.db, 'silence_created', { actor: author, at: now, detail });
      return this.get(id)!;
    }).immediate();
  }

  /** Ends a silence now (audited). */
  expire(id: number, actor: string, now = Date.now()): Silence {
    return this.db.transaction(() => {
      const silence = this.get(id);
      if (!silence) throw new AlertingError(404, `no silence ${id}`);
      if (silence.expiredAt !== null || silence.endsAt <= now) throw new AlertingError(409, `silence ${id} is already over`);
      this.db.prepare('UPDATE silences SET expired_by = ?, expired_at = ? WHERE id = ?').run(actor, now, id);
      appendAudit(this.db, { actor, action: 'silence.expired', subject: `silence:${id}`, detail: { kind: silence.kind, matchers: silence.matchers } });
      recordEvent(this.db, 'silence_expired', { actor, at: now, detail: { silence: id, kind: silence.kind, matchers: silence.matchers, reason: silence.reason } });
      return this.get(id)!;
    }).immediate();
  }

  get(id: number): Silence | undefined {
    const row = this.db.prepare('SELECT * FROM silences WHERE id = ?').get(id) as Row | undefined;
    return row && toSilence(row);
  }

  /** Active and upcoming silences first, then the last 100 that ended. */
  list(now = Date.now()): { current: Silence[]; past: Silence[] } {
    const current = this.db.prepare('SELECT * FROM silences WHERE expired_at IS NULL AND ends_at > ? ORDER BY starts_at, id').all(now) as Row[];
    const past = this.db.prepare('SELECT * FROM silences WHERE expired_at IS NOT NULL OR ends_at <= ? ORDER BY coalesce(expired_at, ends_at) DESC LIMIT 100').all(now) as Row[];
    return { current: current.map(toSilence), past: past.map(toSilence) };
  }

  /** The silences in force at `now` that cover these labels. */
  matching(labels: AlertLabels, now = Date.now()): Silence[] {
    const rows = this.db.prepare('SELECT * FROM silences WHERE expired_at IS NULL AND starts_at <= ? AND ends_at > ?').all(now, now) as Row[];
    return rows.map(toSilence).filter((silence) => covers(silence.matchers, labels));
  }
}
