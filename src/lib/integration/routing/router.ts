import Decimal from 'decimal.js';
import { convertQuantity, type Order, type UnitOfMeasure } from '../canonical';
import type { RouteDefinition } from './route-definition';

/** What the router knows about the world at the moment it decides; passed in, so the router stays pure. */
export interface RoutingContext {
  now: Date;
  /**
   * Latest available quantity per warehouse and SKU, with its unit. A warehouse absent here has
   * not reported stock yet: its stock is unknown, not zero, so it is not ruled out for it.
   */
  stock: Record<string, Record<string, { available: string; uom: string }>>;
  /** Units by code, to compare order quantities with stock exactly. */
  units: Record<string, UnitOfMeasure>;
  /** Warehouses that cannot take work now (circuit open, paused). */
  down: ReadonlySet<string>;
  /** Whether waiting for a down warehouse would break the order's SLA. */
  slaAtRisk: boolean;
}

export interface ConsideredRoute {
  routeId: string;
  warehouseId: string;
  eligible: boolean;
  /** Why it was or was not chosen: `region`, `service_level`, `stock`, `after_cutoff`, `down`. */
  reasons: string[];
}

export interface RoutingDecision {
  /** `undefined` when no route can take the order. */
  warehouseId: string | undefined;
  routeId: string | undefined;
  /** One sentence an operator can read in the console. */
  reason: string;
  /** True when the preferred warehouse was down and the SLA forced the next one. */
  fallback: boolean;
  alternatives: ConsideredRoute[];
}

/**
 * Chooses the warehouse for an order: routes serving the ship-to region and service level, then
 * those with every line in stock, preferring warehouses still before their cut-off, then by
 * priority. A down warehouse keeps the order (it waits for the circuit) unless the SLA is at risk,
 * in which case the next eligible warehouse takes it (fallback). Pure: same input, same answer.
 */
export function chooseWarehouse(order: Order, routes: readonly RouteDefinition[], context: RoutingContext): RoutingDecision {
  const considered = routes.map((route) => consider(order, route, context));
  const ranked = considered
    .filter((c) => c.eligible)
    .sort((a, b) => Number(a.afterCutoff) - Number(b.afterCutoff) || a.priority - b.priority || a.routeId.localeCompare(b.routeId));
  const alternatives = considered.map(({ routeId, warehouseId, eligible, reasons }) => ({ routeId, warehouseId, eligible, reasons }));
  const preferred = ranked[0];
  if (!preferred)
    return { warehouseId: undefined, routeId: undefined, fallback: false, alternatives, reason: `no route can take ${order.orderId}: ${summary(alternatives)}` };
  if (!context.down.has(preferred.warehouseId))
    return decision(preferred, false, alternatives, `${preferred.warehouseId} via ${preferred.routeId}: serves the region, has the stock${preferred.afterCutoff ? ', after cut-off (ships next day)' : ''}`);
  const next = ranked.find((c) => !context.down.has(c.warehouseId));
  if (context.slaAtRisk && next)
    return decision(next, true, alternatives, `fallback to ${next.warehouseId} via ${next.routeId}: ${preferred.warehouseId} is down and the SLA is at risk`);
  return decision(preferred, false, alternatives, `${preferred.warehouseId} via ${preferred.routeId} although it is down: ${next ? 'the SLA is not at risk, so the order waits' : 'no other warehouse can take it'}`);
}

function decision(c: Candidate, fallback: boolean, alternatives: ConsideredRoute[], reason: string): RoutingDecision {
  return { warehouseId: c.warehouseId, routeId: c.routeId, fallback, alternatives, reason };
}

const summary = (alternatives: ConsideredRoute[]) => alternatives.map((a) => `${a.routeId} (${a.reasons.join(', ') || 'no reason'})`).join('; ') || 'no routes defined';

interface Candidate extends ConsideredRoute {
  priority: number;
  afterCutoff: boolean;
}

function consider(order: Order, route: RouteDefinition, context: RoutingContext): Candidate {
  const reasons: string[] = [];
  const country = order.shipTo.country;
  if (!route.countries.includes(country)) reasons.push(`region: does not ship to ${country}`);
  else if (route.regions && !route.regions.includes(order.shipTo.region ?? '')) reasons.push(`region: does not serve ${country}-${order.shipTo.region ?? '?'}`);
  if (!route.serviceLevels.includes(order.serviceLevel)) reasons.push(`service_level: cannot meet ${order.serviceLevel}`);
  const stock = context.stock[route.warehouseId];
  for (const line of stock ? order.lines : []) {
    const position = stock[line.sku];
    if (!position) {
      reasons.push(`stock: no ${line.sku}`);
      continue;
    }
    const needed = inUnit(line.quantity, line.uom, position.uom, context.units);
    if (needed === undefined) reasons.push(`stock: ${line.sku} counted in ${position.uom}, ordered in ${line.uom}`);
    else if (new Decimal(position.available).lt(needed)) reasons.push(`stock: ${position.available} ${position.uom} of ${line.sku}, needs ${needed}`);
  }
  const eligible = reasons.length === 0;
  const afterCutoff = route.cutoff ? isAfter(context.now, route.cutoff.time, route.cutoff.timeZone) : false;
  if (eligible && afterCutoff) reasons.push('after_cutoff');
  if (eligible && context.down.has(route.warehouseId)) reasons.push('down');
  return { routeId: route.id, warehouseId: route.warehouseId, eligible, reasons, priority: route.priority, afterCutoff };
}

/** The order quantity in the stock's unit, exactly; undefined when the units do not convert. */
function inUnit(quantity: string, from: string, to: string, units: Record<string, UnitOfMeasure>): string | undefined {
  if (from === to) return quantity;
  const a = units[from];
  const b = units[to];
  if (!a || !b || a.category !== b.category) return undefined;
  try {
    return convertQuantity(quantity, a, b);
  } catch {
    // Not a whole number of the stock unit: compare in the exact fraction instead.
    return new Decimal(quantity).times(a.ratio).dividedBy(b.ratio).toFixed();
  }
}

/** Whether `now` is at or after `time` (HH:mm) on the wall clock of `timeZone`. */
export function isAfter(now: Date, time: string, timeZone: string): boolean {
  const parts = wallClock(timeZone).formatToParts(now);
  const local = `${parts.find((p) => p.type === 'hour')!.value}:${parts.find((p) => p.type === 'minute')!.value}`;
  return local >= time;
}

// Building an Intl.DateTimeFormat costs more than the whole routing decision; one per zone is kept.
const clocks = new Map<string, Intl.DateTimeFormat>();
function wallClock(timeZone: string): Intl.DateTimeFormat {
  let clock = clocks.get(timeZone);
  if (!clock) clocks.set(timeZone, (clock = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })));
  return clock;
}
