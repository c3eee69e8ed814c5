import type { RuntimeAdminClient } from '../../server/runtime-admin';
import type { ExceptionStore } from '../exception-store';
import { circuitKey } from './span-intake';

/**
 * Keeps one exception per partner whose circuit is open, from the runtime's health: raises it
 * while open (should the opening span have been missed) and closes it once the circuit closes.
 */
export class CircuitIntake {
  constructor(
    private readonly runtime: RuntimeAdminClient,
    private readonly store: ExceptionStore,
  ) {}

  async pass(): Promise<{ read: number; newIncidents: number[] }> {
    if (!this.runtime.configured) return { read: 0, newIncidents: [] };
    const endpoints = await this.runtime.endpoints();
    const open = this.store.openKeys('circuit');
    const newIncidents: number[] = [];
    for (const endpoint of endpoints) {
      const key = circuitKey(endpoint.id);
      if (endpoint.circuit === 'open' && !open.has(key)) {
        const outcome = this.store.record({ sourceKey: key, source: 'circuit', partner: endpoint.id, operation: 'circuit breaker', error: `circuit to ${endpoint.id} opened`, attempts: 1, category: 'partner_unavailable', at: Date.now() });
        if (outcome.newIncident) newIncidents.push(outcome.incidentId);
      } else if (endpoint.circuit !== 'open' && open.has(key)) {
        this.store.close(key, `circuit ${endpoint.circuit}`);
      }
    }
    return { read: endpoints.length, newIncidents };
  }
}
