import { AlertRule, type AlertRuleInput } from './rule';

/**
 * The rules a new console starts with (stored at first start; admins edit them from there).
 * Thresholds follow the brief's SLAs: realtime orders are acknowledged within 2 minutes, so a
 * dozen stuck at one warehouse for 5 minutes is an incident, not noise. Every warehouse-level
 * rule groups by warehouse: a WMS outage that opens its circuit, strands its orders and breaks
 * its SLAs is one incident and one email. Runbook links default to the console's own runbook.
 */
const defaults: AlertRuleInput[] = [
  {
    id: 'partner-down',
    name: 'Partner unavailable or failing',
    enabled: true,
    severity: 'critical',
    condition: { kind: 'partner_health', circuitOpen: true, errorRatePercent: 25, windowMinutes: 5, minCalls: 10 },
    forMinutes: 1,
    keepFiringMinutes: 2,
    repeatMinutes: 60,
  },
  {
    id: 'stuck-orders',
    name: 'Orders stuck past their SLA',
    enabled: true,
    severity: 'critical',
    condition: { kind: 'stuck_transactions', above: 10 },
    scope: { process: 'order_fulfillment' },
    forMinutes: 5,
    keepFiringMinutes: 2,
    repeatMinutes: 120,
  },
  {
    id: 'sla-attainment',
    name: 'SLA attainment below target',
    enabled: true,
    severity: 'warning',
    condition: { kind: 'sla_attainment', belowPercent: 95, windowMinutes: 60, minSteps: 50 },
    groupBy: ['rule'],
    forMinutes: 10,
    keepFiringMinutes: 10,
    repeatMinutes: 240,
  },
  {
    id: 'sla-burn',
    name: "Today's SLA about to be lost",
    enabled: true,
    severity: 'critical',
    condition: { kind: 'sla_burn_rate', targetPercent: 95, withinMinutes: 120, windowMinutes: 30, minSteps: 50 },
    groupBy: ['rule'],
    forMinutes: 5,
    keepFiringMinutes: 10,
    repeatMinutes: 120,
  },
  {
    id: 'dead-letters-growing',
    name: 'Dead letters piling up',
    enabled: true,
    severity: 'warning',
    condition: { kind: 'dead_letter_growth', atLeast: 20, growthBy: 10, windowMinutes: 15 },
    groupBy: ['rule'],
    forMinutes: 5,
    keepFiringMinutes: 5,
    repeatMinutes: 240,
  },
  {
    id: 'reconciliation-differences',
    name: 'Reconciliation differences',
    enabled: true,
    severity: 'warning',
    condition: { kind: 'reconciliation_differences', above: 20, windowMinutes: 60 },
    forMinutes: 0,
    keepFiringMinutes: 30,
    repeatMinutes: 24 * 60,
  },
  {
    id: 'telemetry-silent',
    name: 'No telemetry arriving',
    enabled: true,
    severity: 'critical',
    condition: { kind: 'telemetry_silence', silentMinutes: 10 },
    groupBy: ['rule'],
    forMinutes: 0,
    keepFiringMinutes: 0,
    repeatMinutes: 60,
  },
];

export const defaultRules: AlertRule[] = defaults.map((rule) => AlertRule.parse(rule));
