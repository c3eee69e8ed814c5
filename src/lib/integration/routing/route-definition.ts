import { z } from 'zod';
import { CountryCode, Identifier, ServiceLevel } from '../canonical';

const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:mm (24 h)');

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * One way an order can go to a warehouse (H7: routes are data). Validated at start, so a bad
 * route stops the runtime with the field named instead of misrouting at 3 a.m.
 */
export const RouteDefinition = z.object({
  id: Identifier,
  warehouseId: Identifier,
  /** Lower is preferred among routes that match. @defaultValue 100 */
  priority: z.number().int().min(0).default(100),
  /** Ship-to countries this route serves. */
  countries: z.array(CountryCode).min(1, 'a route serves at least one country'),
  /** Optional narrowing by region (state/province code) within those countries. */
  regions: z.array(z.string().min(1)).optional(),
  /** Service levels the warehouse can meet. @defaultValue all */
  serviceLevels: z.array(ServiceLevel).min(1).default(['standard', 'expedited', 'overnight']),
  /** Orders released after this local time ship the next day. */
  cutoff: z.object({ time: LocalTime, timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone') }).optional(),
});
export type RouteDefinition = z.output<typeof RouteDefinition>;

export const RouteTable = z.array(RouteDefinition).superRefine((routes, ctx) => {
  const ids = new Set<string>();
  routes.forEach((r, i) => {
    if (ids.has(r.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate route id ${r.id}` });
    ids.add(r.id);
  });
});

/**
 * Parses route definitions at start-up; throws a `ZodError` naming the route and field.
 *
 * @example
 * const routes = defineRoutes([{ id: 'us-east', warehouseId: 'wms-batch', countries: ['US'], regions: ['OH', 'PA'] }]);
 */
export function defineRoutes(input: z.input<typeof RouteTable>): RouteDefinition[] {
  return RouteTable.parse(input);
}
