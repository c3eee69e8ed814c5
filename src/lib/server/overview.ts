import { countTransactions, listTransactions, type StateCount, type TransactionRow } from '../processes/queries/transactions';
import { partnerTraffic, type PartnerTraffic } from '../processes/queries/partners';
import { slaReport, type SlaReportRow } from '../processes/queries/sla-report';
import type { ConsoleServices } from './console-services';
import { readRuntime, type RuntimeView } from './runtime-admin';

export interface Attainment {
  met: number;
  judged: number;
  /** met / judged, or null when nothing was judged. */
  ratio: number | null;
}

export interface Overview {
  at: string;
  /** How long computing this snapshot took (ClickHouse and the runtime's admin API). */
  computeMs: number;
  counts: StateCount[];
  stuck: TransactionRow[];
  lateConfirmations: TransactionRow[];
  failedInventory: TransactionRow[];
  attainment: { today: Attainment; week: Attainment };
  partners: PartnerTraffic[];
  runtime: RuntimeView;
}

const DAY = 86_400_000;

/** Everything the Overview page and its live stream show, read in parallel. */
export async function loadOverview(services: ConsoleServices, now = new Date()): Promise<Overview> {
  const started = performance.now();
  const { clickhouse: ch, config } = services;
  const startOfDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const [counts, stuck, lateConfirmations, failedInventory, today, week, partners, runtime] = await Promise.all([
    countTransactions(ch, now),
    listTransactions(ch, { state: ['breached'], sort: 'sinceLastMilestone', order: 'desc', limit: 10 }, now),
    listTransactions(ch, { process: 'order_fulfillment', currentStep: 'shipped', state: ['breached', 'at_risk'], sort: 'sinceLastMilestone', limit: 10 }, now),
    listTransactions(ch, { process: 'inventory_sync', state: ['failed', 'breached'], sort: 'age', limit: 10 }, now),
    slaReport(ch, { from: startOfDay, to: now }, now),
    slaReport(ch, { from: new Date(now.getTime() - 7 * DAY), to: now }, now),
    partnerTraffic(ch, 15 * 60_000, now),
    readRuntime(config.runtime),
  ]);
  return {
    at: now.toISOString(),
    computeMs: Math.round(performance.now() - started),
    counts,
    stuck: stuck.items,
    lateConfirmations: lateConfirmations.items,
    failedInventory: failedInventory.items,
    attainment: { today: attainmentOf(today), week: attainmentOf(week) },
    partners,
    runtime,
  };
}

function attainmentOf(rows: SlaReportRow[]): Attainment {
  const met = rows.reduce((sum, r) => sum + r.met, 0);
  const judged = rows.reduce((sum, r) => sum + r.judged, 0);
  return { met, judged, ratio: judged === 0 ? null : met / judged };
}
