import { join } from 'node:path';
import { z } from 'zod';
import { CommonFaults, seededRandom, startControlServer, StateFile } from '../wms-rest/sim-kit';
import { BatchFiles } from './batch-files';
import { BatchWarehouse, type BatchState } from './batch-warehouse';
import { sftpWarehouseControl } from './sftp-control';
import { startSftpServer } from './sftp-server';

export const WmsBatchFaults = CommonFaults.extend({
  halfWritten: z.boolean().default(false),
  shortRows: z.boolean().default(false),
});

export interface WmsBatchSimulatorOptions {
  /** The mailbox and state live here (`in/`, `out/`, `archive/`, `error/`, `state.json`). */
  dir: string;
  host?: string;
  /** @defaultValue 9122 */
  sftpPort?: number;
  /** @defaultValue 9102 */
  controlPort?: number;
  username: string;
  password: string;
  /** Starting stock per WMS item code: a quantity in cases, or a quantity with the unit label the WMS writes (`EA`, `DZ`, `KG`). */
  stock?: Record<string, number | { qty: number; uom: string }>;
  seed?: number;
  /** When set, the batch window runs this often and released orders ship on the next one (demo traffic). */
  batchEveryMs?: number;
}

export interface RunningBatchSimulator {
  sftpPort: number;
  controlUrl: string;
  warehouse: BatchWarehouse;
  close(): Promise<void>;
}

/**
 * A legacy batch WMS on loopback: an SFTP mailbox (ssh2's server, password login, paths confined
 * to the mailbox) and a control HTTP port with `/_sim/state`, `/_sim/faults` and the levers tests
 * pull (`process` = the batch window, `fulfil`, `return`, `stock`, `resend`).
 */
export async function startWmsBatchSimulator(options: WmsBatchSimulatorOptions): Promise<RunningBatchSimulator> {
  const random = seededRandom(options.seed ?? 7);
  let faults = WmsBatchFaults.parse({});
  const file = new StateFile<BatchState>(join(options.dir, 'state.json'), (): BatchState => warehouse.state);
  const initial: BatchState = file.load() ?? {
    orders: {},
    stock: Object.fromEntries(
      Object.entries(options.stock ?? {}).map(([item, s], i) => {
        const { qty, uom } = typeof s === 'number' ? { qty: s, uom: 'CA' } : s;
        return [item, { onHand: qty, allocated: 0, location: `R${i + 1}-01-A`, uom }];
      }),
    ),
    filesIn: 0,
    sequence: 5000,
    returns: 0,
  };
  const warehouse: BatchWarehouse = new BatchWarehouse(new BatchFiles(join(options.dir, 'mailbox')), initial, () => faults, random);
  // The nightly snapshot a freshly started WMS has already written.
  warehouse.snapshots();
  const sftp = await startSftpServer({ root: warehouse.files.root, username: options.username, password: options.password, host: options.host, port: options.sftpPort ?? 9122, refuse: () => faults.outage });

  const simState = () => ({
    dialect: 'wms-batch',
    orders: Object.fromEntries(Object.entries(warehouse.state.orders).map(([no, o]) => [no, { id: o.wmsOrder, status: o.status, received: o.timesReceived, lines: o.lines }])),
    received: { distinct: Object.keys(warehouse.state.orders).length, raw: Object.values(warehouse.state.orders).reduce((n, o) => n + o.timesReceived, 0), files: warehouse.state.filesIn },
    shipped: Object.values(warehouse.state.orders).filter((o) => o.shipped).length,
    returns: warehouse.state.returns,
    stock: warehouse.state.stock,
    sftp: sftp.stats,
  });

  const control = sftpWarehouseControl({
    faultSchema: WmsBatchFaults,
    faults: { get: () => faults, set: (next) => (faults = next) },
    disconnectAll: () => sftp.disconnectAll(),
    state: simState,
    // Unknown items show up in the next snapshot, which the WMS writes at once here.
    reportStock: () => warehouse.snapshots(),
    process: () => warehouse.process(),
    fulfil: (orderId, short) => warehouse.fulfil(orderId, short),
    giveBack: (orderId, condition) => warehouse.receiveReturn(orderId, condition),
    adjust: (sku, delta) => warehouse.adjustStock(sku, delta),
    changed: () => file.changed(),
    extra: { 'POST /_sim/resend': () => ({ resent: warehouse.files.resendLast() }) },
  });

  const http = await startControlServer(control, { port: options.controlPort ?? 9102, host: options.host });
  const timer = options.batchEveryMs
    ? setInterval(() => {
        for (const [no, o] of Object.entries(warehouse.state.orders)) if (o.status === '10') warehouse.fulfil(no, false);
        warehouse.process();
        file.changed();
      }, options.batchEveryMs)
    : undefined;
  return {
    sftpPort: sftp.port,
    controlUrl: http.url,
    warehouse,
    async close() {
      if (timer) clearInterval(timer);
      file.flush();
      await sftp.close();
      await http.close();
    },
  };
}
