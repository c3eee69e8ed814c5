import { appendAudit } from '../../audit';
import { listUsers, type UserSummary } from '../../server/auth/users';
import type { ConsoleDb } from '../../server/console-db';
import type { Recipient } from '../alert';
import { AlertingError } from '../errors';
import { InvalidScheduleError, parseSchedule, type EscalationTarget, type OncallSchedule, type ScheduleIssue } from './schedule';

/** Why a login named in a schedule cannot be emailed. */
export type UnreachableReason = 'unknown' | 'disabled' | 'no email';

export interface MissingRecipient {
  login: string;
  reason: UnreachableReason;
}

// Logins compare without case (the users table is COLLATE NOCASE).
const usersByLogin = (db: ConsoleDb) => new Map(listUsers(db).map((user) => [user.login.toLowerCase(), user]));

/**
 * The people alert email can go to among `logins` (in that order, each once), and why each of
 * the others cannot get it.
 */
export function recipientsOf(db: ConsoleDb, logins: readonly string[]): { recipients: Recipient[]; missing: MissingRecipient[] } {
  const users = usersByLogin(db);
  const recipients: Recipient[] = [];
  const missing: MissingRecipient[] = [];
  const seen = new Set<string>();
  for (const login of logins) {
    const key = login.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const user = users.get(key);
    if (!user) missing.push({ login, reason: 'unknown' });
    else if (user.disabled) missing.push({ login: user.login, reason: 'disabled' });
    else if (user.email === null) missing.push({ login: user.login, reason: 'no email' });
    else recipients.push({ login: user.login, name: user.name, email: user.email });
  }
  return { recipients, missing };
}

/** Everyone a schedule may page: its participants, then the people its escalation chain names. */
const loginsOf = (schedule: OncallSchedule): string[] => [
  ...schedule.participants,
  ...schedule.escalation.chain.flatMap((target) => (target.to === 'user' ? [target.login] : [])),
];

interface Row {
  id: string;
  definition: string;
}

/**
 * On-call schedules in the console database. Every change is audited with the schedule before
 * and after, so "who changed the rota" has an answer.
 */
export class ScheduleStore {
  constructor(private readonly db: ConsoleDb) {}

  /** Every schedule, ordered by id. */
  list(): OncallSchedule[] {
    return (this.db.prepare('SELECT id, definition FROM oncall_schedules ORDER BY id').all() as Row[]).map(toSchedule);
  }

  get(id: string): OncallSchedule | undefined {
    const row = this.db.prepare('SELECT id, definition FROM oncall_schedules WHERE id = ?').get(id) as Row | undefined;
    return row && toSchedule(row);
  }

  /**
   * Creates or replaces a schedule. Everyone it names must be an enabled console user
   * (`InvalidScheduleError` names each one who is not); logins are stored as the users table
   * spells them. Someone without an email address may be named: `problems` reports them.
   */
  save(input: unknown, actor: string): OncallSchedule {
    const parsed = parseSchedule(input);
    return this.db.transaction(() => {
      const schedule = this.withKnownUsers(parsed);
      const before = this.storedDefinition(schedule.id) ?? null;
      this.db
        .prepare(
          `INSERT INTO oncall_schedules (id, definition, updated_by, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET definition = excluded.definition, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
        )
        .run(schedule.id, JSON.stringify(schedule), actor, Date.now());
      appendAudit(this.db, { actor, action: 'oncall_schedule.changed', subject: subjectOf(schedule.id), detail: { before, after: schedule } });
      return schedule;
    })();
  }

  /** Deletes a schedule (audited); false when there was none with that id. */
  remove(id: string, actor: string): boolean {
    return this.db.transaction(() => {
      const before = this.storedDefinition(id);
      if (before === undefined) return false;
      // A rule told to a schedule that is gone would alert nobody; move its rules first.
      const schedule = this.db.dialect === 'postgres' ? "definition::jsonb->>'schedule'" : "json_extract(definition, '$.schedule')";
      const users = (this.db.prepare(`SELECT id FROM alert_rules WHERE ${schedule} = ? ORDER BY id`).all(id) as { id: string }[]).map((r) => r.id);
      if (users.length > 0) throw new AlertingError(409, `schedule ${id} is used by alert rule${users.length === 1 ? '' : 's'} ${users.join(', ')}: give ${users.length === 1 ? 'it' : 'them'} another schedule first`);
      this.db.prepare('DELETE FROM oncall_schedules WHERE id = ?').run(id);
      appendAudit(this.db, { actor, action: 'oncall_schedule.changed', subject: subjectOf(id), detail: { before, after: null } });
      return true;
    })();
  }

  /** The people a schedule names who would get no alert email today: unknown, disabled or without an address. */
  problems(schedule: OncallSchedule): MissingRecipient[] {
    return recipientsOf(this.db, loginsOf(schedule)).missing;
  }

  /**
   * Creates schedule `primary` when there is no schedule at all, so alerts page someone from the
   * first start: UTC, weekly from this week's Monday at 09:00, support and approver people with an
   * email address in login order, escalating after 15 minutes to the next in rotation (when there
   * is a next) and then to the first manager with an address. Creates nothing when nobody
   * qualifies; returns the schedule it created.
   */
  ensureDefault(actor: string, now = new Date()): OncallSchedule | undefined {
    // IMMEDIATE: the console and a CLI starting together must not both create it.
    return this.db
      .transaction(() => {
        const count = (this.db.prepare('SELECT count(*) AS n FROM oncall_schedules').get() as { n: number }).n;
        if (count > 0) return undefined;
        const reachable = listUsers(this.db).filter((user) => !user.disabled && user.email !== null);
        const participants = reachable.filter((user) => user.role === 'support' || user.role === 'approver').slice(0, 50).map((user) => user.login);
        if (participants.length === 0) return undefined;
        const manager = reachable.find((user) => user.role === 'manager');
        const chain: EscalationTarget[] = [
          ...(participants.length > 1 ? [{ to: 'next_in_rotation' } as const] : []),
          ...(manager ? [{ to: 'user', login: manager.login } as const] : []),
        ];
        return this.save(
          {
            id: 'primary',
            name: 'Primary',
            timeZone: 'UTC',
            handoff: '09:00',
            rotationDays: 7,
            startsOn: mondayOf(now),
            participants,
            escalation: { ackMinutes: 15, chain },
          },
          actor,
        );
      })
      .immediate();
  }

  // As stored, unvalidated: a definition that no longer parses can still be replaced or removed.
  private storedDefinition(id: string): unknown {
    const row = this.db.prepare('SELECT definition FROM oncall_schedules WHERE id = ?').get(id) as Pick<Row, 'definition'> | undefined;
    return row && JSON.parse(row.definition);
  }

  private withKnownUsers(schedule: OncallSchedule): OncallSchedule {
    const users = usersByLogin(this.db);
    const issues: ScheduleIssue[] = [];
    const canonical = (login: string, path: string, kind: string): string => {
      const user = users.get(login.toLowerCase());
      const issue = enabledUserIssue(user, login, kind);
      if (issue) issues.push({ path, message: issue });
      return user?.login ?? login;
    };
    const participants = schedule.participants.map((login, i) => canonical(login, `participants.${i}`, 'participant'));
    const chain = schedule.escalation.chain.map((target, i) =>
      target.to === 'user' ? { ...target, login: canonical(target.login, `escalation.chain.${i}.login`, 'escalation user') } : target,
    );
    if (issues.length > 0) throw new InvalidScheduleError(issues);
    return { ...schedule, participants, escalation: { ...schedule.escalation, chain } };
  }
}

/** Why `user` cannot be named in a schedule as `kind` ("participant", "escalation user"), if they cannot. */
function enabledUserIssue(user: UserSummary | undefined, login: string, kind: string): string | undefined {
  if (!user) return `${kind} ${login} is not a console user`;
  if (!user.disabled) return undefined;
  return `${kind} ${user.login} is disabled${user.email === null ? ' and has no email address' : ''}`;
}

const subjectOf = (id: string) => `oncall_schedule:${id}`;

// The definition is re-validated on the way out, so a row edited by hand fails here, naming
// the schedule, instead of paging the wrong person.
function toSchedule(row: Row): OncallSchedule {
  try {
    return parseSchedule(JSON.parse(row.definition));
  } catch (error) {
    throw new Error(`on-call schedule ${row.id} in the console database is invalid: ${(error as Error).message}`, { cause: error });
  }
}

/** The Monday of `now`'s week in UTC, as `YYYY-MM-DD`. */
function mondayOf(now: Date): string {
  const daysSinceMonday = (now.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - daysSinceMonday)).toISOString().slice(0, 10);
}
