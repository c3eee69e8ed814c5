import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { accessDenied, asOdooException, OdooException, userError } from './errors';
import { buildModels } from './models';
import { callKw, type CallShape } from './orm/call';
import { odooDatetime } from './orm/python';
import { RecordStore } from './orm/store';
import type { Env, ModelDef, SimCounters } from './orm/types';
import { seed } from './seed';

/** How the simulated Odoo is set up. Credentials default to a fresh Odoo's. */
export interface OdooInstanceOptions {
  /** Directory for `odoo-sim.db`. */
  dataDir: string;
  /** Major version imitated: 17 (default), 18 or 19. */
  version?: 17 | 18 | 19;
  database?: string;
  login?: string;
  password?: string;
  /** The user's API key; a random one is made (and kept in the database) when not given. */
  apiKey?: string;
}

const emptyCounters = (): SimCounters => ({
  ordersCreated: 0,
  ordersConfirmed: 0,
  pickingsValidated: 0,
  backordersCreated: 0,
  quantsAdjusted: 0,
  returnsCreated: 0,
});

/**
 * One simulated Odoo database and its users: credentials as `res.users.check` treats them,
 * cookie sessions, and method calls run in a transaction each, like Odoo's request cursor.
 */
export class OdooInstance {
  readonly version: number;
  readonly database: string;
  readonly login: string;
  readonly store: RecordStore;
  readonly models: Map<string, ModelDef>;
  readonly counters: SimCounters;
  /** Calls per `model.method`, for tests that assert a repeat had no second effect. */
  readonly calls = new Map<string, number>();
  readonly uid = 2;
  private readonly password: string;
  private readonly sessions = new Map<string, number>();
  /** Called after each committed call with the ids it touched per model (outgoing webhooks). */
  onCommit?: (touched: Map<string, number[]>) => void;

  constructor(options: OdooInstanceOptions) {
    this.version = options.version ?? 17;
    this.database = options.database ?? 'crossdock';
    this.login = options.login ?? 'admin';
    this.password = options.password ?? 'admin';
    this.store = new RecordStore(join(options.dataDir, 'odoo-sim.db'));
    this.models = buildModels(this.version);
    // Committed at once: left open, the first call that fails would roll the whole seed back.
    if (this.store.fresh) {
      seed(this.store, { version: this.version, now: odooDatetime(new Date()) });
      this.store.commit();
    }
    if (options.apiKey) this.store.setMeta('api_key', options.apiKey);
    else if (!this.store.meta('api_key')) this.store.setMeta('api_key', randomBytes(20).toString('hex'));
    this.counters = { ...emptyCounters(), ...JSON.parse(this.store.meta('counters') ?? '{}') };
  }

  get apiKey(): string {
    return this.store.meta('api_key')!;
  }

  /** Revokes the API key and issues a new one: calls with the old key now get AccessDenied. */
  rotateApiKey(): string {
    const key = randomBytes(20).toString('hex');
    this.store.setMeta('api_key', key);
    return key;
  }

  /** `cr.dbname` check: any other database does not exist on this server. */
  checkDatabase(db: unknown): void {
    if (db !== this.database)
      throw new OdooException(
        'psycopg2.OperationalError',
        `connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: FATAL:  database "${String(db)}" does not exist\n`,
      );
  }

  /**
   * `res.users.authenticate`: the password always; an API key (scope rpc) only for
   * non-interactive logins, which is why `/web/session/authenticate` refuses keys.
   */
  authenticate(login: unknown, secret: unknown, interactive: boolean): number | false {
    if (login !== this.login || typeof secret !== 'string' || secret === '') return false;
    if (secret === this.password) return this.uid;
    if (!interactive && secret === this.apiKey) return this.uid;
    return false;
  }

  /** `security.check` on every `object` call: uid and password or API key, else AccessDenied. */
  check(uid: unknown, secret: unknown): number {
    if (Number(uid) !== this.uid || this.authenticate(this.login, secret, false) === false) throw accessDenied();
    return this.uid;
  }

  openSession(uid: number): string {
    const sid = randomBytes(20).toString('hex');
    this.sessions.set(sid, uid);
    return sid;
  }

  sessionUid(sid: string | undefined): number | undefined {
    return sid ? this.sessions.get(sid) : undefined;
  }

  closeSession(sid: string | undefined): void {
    if (sid) this.sessions.delete(sid);
  }

  /** The model, or Odoo's `Object x doesn't exist` as `execute_kw` reports it. */
  model(name: unknown): ModelDef {
    const model = this.models.get(String(name));
    if (!model) throw userError(`Object ${String(name)} doesn't exist`);
    return model;
  }

  /** Runs one method in its own transaction: committed when it returns, rolled back when it raises. */
  execute(uid: number, model: ModelDef, method: string, call: CallShape): unknown {
    const env: Env = {
      store: this.store,
      models: this.models,
      uid,
      context: { lang: 'en_US', tz: 'Europe/Brussels', uid },
      now: odooDatetime(new Date()),
      counters: this.counters,
      version: this.version,
    };
    const before = { ...this.counters };
    try {
      const result = callKw(env, model, method, call);
      const touched = this.store.commit();
      this.onCommit?.(touched);
      const key = `${model.name}.${method}`;
      this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
      if (JSON.stringify(before) !== JSON.stringify(this.counters)) this.store.setMeta('counters', JSON.stringify(this.counters));
      return result;
    } catch (error) {
      this.store.rollback();
      Object.assign(this.counters, before);
      throw asOdooException(error);
    }
  }

  /** `common.version` / `/web/webclient/version_info`. */
  versionInfo() {
    const serie = `${this.version}.0`;
    return { server_version: serie, server_version_info: [this.version, 0, 0, 'final', 0, ''], server_serie: serie, protocol_version: 1 };
  }

  /** What `/web/session/authenticate` answers: `ir.http.session_info()`, the keys clients read. */
  sessionInfo(uid: number) {
    const user = this.store.get('res.users', uid)!;
    const info = this.versionInfo();
    return {
      uid,
      is_system: true,
      is_admin: true,
      user_context: { lang: 'en_US', tz: user.tz ?? 'Europe/Brussels', uid },
      db: this.database,
      server_version: info.server_version,
      server_version_info: info.server_version_info,
      support_url: 'https://www.odoo.com/buy',
      name: user.name,
      username: user.login,
      partner_display_name: user.name,
      partner_id: user.partner_id,
      'web.base.url': 'http://127.0.0.1:8069',
      user_companies: { current_company: 1, allowed_companies: { 1: { id: 1, name: 'Crossdock Distribution', sequence: 10, child_ids: [], parent_id: false } } },
      currencies: { 1: { symbol: '$', position: 'before', digits: [69, 2] } },
    };
  }

  close(): void {
    this.store.close();
  }
}
