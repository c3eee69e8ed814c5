import { z } from 'zod';
import { partnerTraffic } from '../../processes/queries/partners';
import type { ClickHouse } from '../../server/clickhouse';
import type { AffectedTransaction, AlertLabels } from '../alert';
import type { AlertRule, Condition } from '../rules/rule';
import { AFFECTED, attainment, minutesUntilTargetLost, stuckByWarehouse } from './transactions';

/** One place where a rule's condition holds, with the numbers for people. */
export interface Observation {
  labels: Omit<AlertLabels, 'rule'>;
  value: number;
  summary: string;
  affected: AffectedTransaction[];
}

/** Where the measures read from besides ClickHouse; each may be unavailable (the runtime down). */
export interface MeasureSources {
  clickhouse: ClickHouse;
  /** Each partner endpoint's circuit state from the runtime's health; throws when unreachable. */
  circuits(): Promise<{ id: string; circuit: string }[]>;
  /** Open dead letters now (the exception queue's mirror of the runtime's). */
  openDeadLetters(): number;
  /** When the collector last accepted a span (epoch ms) as seen by evaluations up to `now`, or when alerting started. */
  lastSpanAt(now: Date): number;
}

const minutes = (n: number) => n * 60_000;
const pct = (ratio: number) => Math.round(ratio * 1000) / 10;
const where = (rule: AlertRule) => [rule.scope.process, rule.scope.warehouse, rule.scope.serviceClass].filter(Boolean).join(', ');
const scopeLabels = (rule: AlertRule) => ({ process: rule.scope.process, warehouse: rule.scope.warehouse, serviceClass: rule.scope.serviceClass });

/**
 * The places where a rule's condition holds now. Nothing returned means it holds nowhere (its
 * alerts clear); a thrown error means it could not be told (its alerts stay as they are).
 */
export class Measures {
  // Dead-letter depth samples for the growth rule: (time, depth), oldest first, a day at most.
  private readonly depths: { at: number; depth: number }[] = [];

  constructor(private readonly sources: MeasureSources) {}

  async observe(rule: AlertRule, now: Date): Promise<Observation[]> {
    const c = rule.condition;
    switch (c.kind) {
      case 'stuck_transactions':
        return this.stuck(rule, c, now);
      case 'sla_attainment':
        return this.slaAttainment(rule, c, now);
      case 'sla_burn_rate':
        return this.slaBurn(rule, c, now);
      case 'dead_letter_growth':
        return this.deadLetters(c, now);
      case 'partner_health':
        return this.partners(rule, c, now);
      case 'reconciliation_differences':
        return this.reconciliation(rule, c, now);
      case 'telemetry_silence':
        return this.silence(c, now);
    }
  }

  /** Records the dead-letter depth once per evaluation pass (not per rule), for growth over time. */
  sampleDeadLetters(now: Date): void {
    this.depths.push({ at: now.getTime(), depth: this.sources.openDeadLetters() });
    while (this.depths.length > 0 && this.depths[0].at < now.getTime() - minutes(24 * 60)) this.depths.shift();
  }

  private async stuck(rule: AlertRule, c: Extract<Condition, { kind: 'stuck_transactions' }>, now: Date): Promise<Observation[]> {
    const rows = await stuckByWarehouse(this.sources.clickhouse, rule.scope, now);
    return rows
      .filter((row) => row.stuck > c.above)
      .map((row) => ({
        labels: { ...scopeLabels(rule), warehouse: row.warehouse || undefined },
        value: row.stuck,
        summary: `${row.stuck} ${rule.scope.process === 'order_fulfillment' ? 'orders' : 'transactions'} stuck past their SLA${row.warehouse ? ` at ${row.warehouse}` : ''} (more than ${c.above})`,
        affected: row.affected,
      }));
  }

  private async slaAttainment(rule: AlertRule, c: Extract<Condition, { kind: 'sla_attainment' }>, now: Date): Promise<Observation[]> {
    const { judged, met } = await attainment(this.sources.clickhouse, rule.scope, new Date(now.getTime() - minutes(c.windowMinutes)), now);
    if (judged < c.minSteps || (met / judged) * 100 >= c.belowPercent) return [];
    return [{
      labels: scopeLabels(rule),
      value: pct(met / judged),
      summary: `SLA attainment ${pct(met / judged)}% over the last ${c.windowMinutes} min (${judged - met} of ${judged} steps missed${where(rule) ? `, ${where(rule)}` : ''}; target ${c.belowPercent}%)`,
      affected: [],
    }];
  }

  private async slaBurn(rule: AlertRule, c: Extract<Condition, { kind: 'sla_burn_rate' }>, now: Date): Promise<Observation[]> {
    const dayStart = new Date(Math.floor(now.getTime() / 86_400_000) * 86_400_000);
    const [today, recent] = await Promise.all([
      attainment(this.sources.clickhouse, rule.scope, dayStart, now),
      attainment(this.sources.clickhouse, rule.scope, new Date(now.getTime() - minutes(c.windowMinutes)), now),
    ]);
    if (today.judged < c.minSteps) return [];
    const left = minutesUntilTargetLost(today, { ...recent, minutes: c.windowMinutes }, c.targetPercent / 100);
    if (left > c.withinMinutes) return [];
    const todayPct = pct(today.met / today.judged);
    return [{
      labels: scopeLabels(rule),
      value: Math.round(left),
      summary:
        left === 0
          ? `today's SLA is lost: ${todayPct}% of ${today.judged} steps met, target ${c.targetPercent}%${where(rule) ? ` (${where(rule)})` : ''}`
          : `at the last ${c.windowMinutes} min's rate (${pct(1 - recent.met / recent.judged)}% missed) today's ${c.targetPercent}% SLA is lost in ${Math.round(left)} min; ${todayPct}% so far${where(rule) ? ` (${where(rule)})` : ''}`,
      affected: [],
    }];
  }

  private async deadLetters(c: Extract<Condition, { kind: 'dead_letter_growth' }>, now: Date): Promise<Observation[]> {
    const depth = this.sources.openDeadLetters();
    const cutoff = now.getTime() - minutes(c.windowMinutes);
    // The newest sample at or before the window's start; none yet (just started): growth is unknown.
    const before = this.depths.findLast((sample) => sample.at <= cutoff);
    if (!before || depth < c.atLeast || depth - before.depth < c.growthBy) return [];
    return [{
      labels: {},
      value: depth,
      summary: `${depth} dead letters open, ${depth - before.depth} more than ${c.windowMinutes} min ago`,
      affected: [],
    }];
  }

  private async partners(rule: AlertRule, c: Extract<Condition, { kind: 'partner_health' }>, now: Date): Promise<Observation[]> {
    const [traffic, circuits] = await Promise.all([
      partnerTraffic(this.sources.clickhouse, minutes(c.windowMinutes), now),
      // Without the runtime, the error rate still tells; the circuit part waits for it.
      c.circuitOpen ? this.sources.circuits().catch(() => []) : Promise.resolve([]),
    ]);
    const open = new Set(circuits.filter((e) => e.circuit === 'open').map((e) => e.id));
    const endpoints = new Set([...traffic.map((t) => t.endpoint), ...open]);
    const observations: Observation[] = [];
    for (const endpoint of [...endpoints].sort()) {
      if (rule.scope.warehouse && rule.scope.warehouse !== endpoint) continue;
      const t = traffic.find((row) => row.endpoint === endpoint);
      const failing = t !== undefined && t.calls >= c.minCalls && t.errorRate * 100 >= c.errorRatePercent;
      if (!open.has(endpoint) && !failing) continue;
      const rate = t ? `${pct(t.errorRate)}% of ${t.calls} calls failed over ${c.windowMinutes} min` : `no calls over ${c.windowMinutes} min`;
      observations.push({
        labels: { warehouse: endpoint },
        value: t ? pct(t.errorRate) : 100,
        summary: open.has(endpoint) ? `circuit to ${endpoint} open; ${rate}` : `${endpoint} failing: ${rate} (threshold ${c.errorRatePercent}%)`,
        affected: [],
      });
    }
    if (observations.length > 0) await this.failedCallsOf(observations, c.windowMinutes, now);
    return observations;
  }

  /** The transactions whose calls to each failing partner failed last, for people to look at first. */
  private async failedCallsOf(observations: Observation[], windowMinutes: number, now: Date): Promise<void> {
    const result = await this.sources.clickhouse.client.query({
      query: `
        SELECT Endpoint AS endpoint, CorrelationId AS correlationId, any(Process) AS process, any(Warehouse) AS warehouse,
          argMax(SpanName, Timestamp) AS step, toUnixTimestamp64Milli(max(Timestamp)) AS last
        FROM exception_spans_v1
        WHERE InsertedAt >= fromUnixTimestamp64Milli({from:Int64}) AND Endpoint IN {endpoints:Array(String)} AND CorrelationId != ''
        GROUP BY Endpoint, CorrelationId
        ORDER BY last DESC
        LIMIT ${AFFECTED} BY Endpoint`,
      query_params: { from: now.getTime() - minutes(windowMinutes), endpoints: observations.map((o) => o.labels.warehouse!) },
      format: 'JSONEachRow',
    });
    const FailedCall = z.object({ endpoint: z.string(), correlationId: z.string(), process: z.string(), warehouse: z.string(), step: z.string(), last: z.coerce.number() });
    for (const call of z.array(FailedCall).parse(await result.json())) {
      observations
        .find((o) => o.labels.warehouse === call.endpoint)
        ?.affected.push({ correlationId: call.correlationId, process: call.process, state: 'failed call', currentStep: call.step, warehouse: call.warehouse || call.endpoint, ageMs: Math.max(0, now.getTime() - call.last) });
    }
  }

  private async reconciliation(rule: AlertRule, c: Extract<Condition, { kind: 'reconciliation_differences' }>, now: Date): Promise<Observation[]> {
    const params: Record<string, unknown> = { from: now.getTime() - minutes(c.windowMinutes) };
    const filters = [`InsertedAt >= fromUnixTimestamp64Milli({from:Int64})`, `SpanName LIKE 'discrepancy %'`];
    if (rule.scope.warehouse) {
      params.warehouse = rule.scope.warehouse;
      filters.push('Warehouse = {warehouse:String}');
    }
    const result = await this.sources.clickhouse.client.query({
      query: `SELECT Warehouse AS warehouse, count() AS differences, groupUniqArray(3)(Message) AS samples
        FROM exception_spans_v1 WHERE ${filters.join(' AND ')} GROUP BY Warehouse ORDER BY Warehouse`,
      query_params: params,
      format: 'JSONEachRow',
    });
    const rows = z.array(z.object({ warehouse: z.string(), differences: z.coerce.number(), samples: z.array(z.string()) })).parse(await result.json());
    return rows
      .filter((row) => row.differences > c.above)
      .map((row) => ({
        labels: { warehouse: row.warehouse || undefined },
        value: row.differences,
        summary: `reconciliation raised ${row.differences} differences${row.warehouse ? ` at ${row.warehouse}` : ''} within ${c.windowMinutes} min (more than ${c.above}), e.g. ${row.samples[0] ?? ''}`.trim(),
        affected: [],
      }));
  }

  private async silence(c: Extract<Condition, { kind: 'telemetry_silence' }>, now: Date): Promise<Observation[]> {
    const quietMs = now.getTime() - this.sources.lastSpanAt(now);
    if (quietMs < minutes(c.silentMinutes)) return [];
    const quietMinutes = Math.floor(quietMs / 60_000);
    return [{ labels: {}, value: quietMinutes, summary: `the collector has received no span for ${quietMinutes} min`, affected: [] }];
  }
}
