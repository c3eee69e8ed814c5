import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { Sku, Warehouse } from '../canonical';
import { WarehouseMapping } from '../connectors/warehouse-mapping';
import { RouteTable, type RouteDefinition } from '../routing';

/** One warehouse as the topology file describes it: who it is, how to reach its master data, how often to poll it. */
const WarehouseEntry = Warehouse.extend({
  /** Path of its mapping file, relative to the topology file. */
  mapping: z.string().min(1),
  /** How often its outbox (or its reconciliation poll) is read, in ms. @defaultValue 5000 */
  pollIntervalMs: z.number().int().min(100).max(3_600_000).default(5_000),
});

const TopologyFile = z
  .object({
    warehouses: z.array(WarehouseEntry).min(1, 'a topology has at least one warehouse'),
    routes: RouteTable,
    inventory: z
      .object({
        fastMovers: z.array(Sku).default([]),
        /** Order lines per hour from which a SKU counts as a fast mover. @defaultValue 20 */
        fastMoverLinesPerHour: z.number().int().min(1).default(20),
      })
      .default({ fastMovers: [], fastMoverLinesPerHour: 20 }),
  })
  .superRefine((t, ctx) => {
    const ids = new Set(t.warehouses.map((w) => w.id));
    if (ids.size !== t.warehouses.length) ctx.addIssue({ code: 'custom', path: ['warehouses'], message: 'warehouse ids must be unique' });
    t.routes.forEach((r, i) => {
      if (!ids.has(r.warehouseId)) ctx.addIssue({ code: 'custom', path: ['routes', i, 'warehouseId'], message: `no warehouse ${r.warehouseId} in this topology` });
    });
  });

/** A warehouse with its validated master data. */
export interface TopologyWarehouse extends Warehouse {
  mapping: WarehouseMapping;
  pollIntervalMs: number;
}

/**
 * Where the business runs (H7: configuration is data): the warehouses with their Odoo codes and
 * mappings, the routes orders take, and which SKUs move fast enough for the realtime class.
 */
export interface Topology {
  warehouses: TopologyWarehouse[];
  routes: RouteDefinition[];
  /** SKUs always treated as fast movers. */
  fastMovers: ReadonlySet<string>;
  /** Order lines per hour from which any SKU counts as a fast mover. */
  fastMoverLinesPerHour: number;
}

/**
 * Reads and validates a topology file and the mapping files it names. Throws with the file and
 * field named, so a typo stops the runtime at start instead of misrouting later.
 */
export function loadTopology(file: string): Topology {
  const raw = readJson(file);
  const parsed = TopologyFile.safeParse(raw);
  if (!parsed.success) throw new Error(`${file}: ${describe(parsed.error)}`);
  const base = dirname(file);
  const warehouses = parsed.data.warehouses.map(({ mapping: path, ...warehouse }) => {
    const mappingFile = resolve(base, path);
    const mapping = WarehouseMapping.safeParse(readJson(mappingFile));
    if (!mapping.success) throw new Error(`${mappingFile}: ${describe(mapping.error)}`);
    if (mapping.data.warehouseId !== warehouse.id) throw new Error(`${mappingFile}: warehouseId is ${mapping.data.warehouseId}, the topology names it ${warehouse.id}`);
    return { ...warehouse, mapping: mapping.data };
  });
  return { warehouses, routes: parsed.data.routes, fastMovers: new Set(parsed.data.inventory.fastMovers), fastMoverLinesPerHour: parsed.data.inventory.fastMoverLinesPerHour };
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
}

const describe = (error: z.ZodError) => error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
