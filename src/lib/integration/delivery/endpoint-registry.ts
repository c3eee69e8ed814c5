import type { RuntimeDb } from '../store/runtime-db';
import { EndpointGuard, type EndpointPolicy } from './endpoint-guard';

/** The guard of every partner endpoint the runtime calls; pauses survive a restart. */
export class EndpointRegistry {
  private readonly guards = new Map<string, EndpointGuard>();
  private readonly save;

  constructor(
    db: RuntimeDb,
    policies: Record<string, EndpointPolicy>,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS endpoint_state (
      endpoint_id TEXT PRIMARY KEY, paused INTEGER NOT NULL, updated_at TEXT NOT NULL) WITHOUT ROWID`);
    this.save = db.prepare('INSERT OR REPLACE INTO endpoint_state VALUES (?, ?, ?)');
    const paused = new Set(
      db.prepare<[], { endpoint_id: string }>('SELECT endpoint_id FROM endpoint_state WHERE paused = 1').all().map((r) => r.endpoint_id),
    );
    for (const [id, policy] of Object.entries(policies)) {
      const guard = new EndpointGuard(id, policy);
      if (paused.has(id)) guard.pause();
      this.guards.set(id, guard);
    }
  }

  /** The guard of a declared endpoint; a handler naming an undeclared one is a programming error. */
  get(id: string): EndpointGuard {
    const guard = this.guards.get(id);
    if (!guard) throw new Error(`endpoint "${id}" is not declared in the runtime's endpoint policies`);
    return guard;
  }

  has(id: string): boolean {
    return this.guards.has(id);
  }

  /** Pauses or resumes; returns false for an unknown endpoint. */
  setPaused(id: string, paused: boolean): boolean {
    const guard = this.guards.get(id);
    if (!guard) return false;
    if (paused) guard.pause();
    else guard.resume();
    this.save.run(id, paused ? 1 : 0, new Date().toISOString());
    return true;
  }

  /** Each endpoint's pause flag and circuit state, for health output. */
  describe(): Array<{ id: string; paused: boolean; circuit: string }> {
    return [...this.guards.values()].map((g) => ({ id: g.id, paused: g.paused, circuit: g.circuit }));
  }
}
