import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { z } from 'zod';
import { CommonFaults, endOutageAfter, readJson, ReturnCondition, seededRandom, sendJson, startControlServer, StateFile } from '../wms-rest/sim-kit';
import { BatchFiles } from './batch-files';
import { BatchWarehouse, type BatchState } from './batch-warehouse';
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

  const control = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const body = req.method === 'POST' ? ((await readJson(req)) as Record<string, unknown>) : {};
    switch (`${req.method} ${url.pathname}`) {
      case 'GET /_sim/state':
        return sendJson(res, 200, simState());
      case 'GET /_sim/faults':
        return sendJson(res, 200, faults);
      case 'POST /_sim/faults':
        faults = WmsBatchFaults.parse({ ...faults, ...body });
        if (faults.outage) endOutageAfter(faults.outageForMs, () => (faults = { ...faults, outage: false, outageForMs: undefined }));
        if (faults.outage) sftp.disconnectAll();
        // Unknown items show up in the next snapshot, which the WMS writes at once here.
        if (body.unknownSkus !== undefined) warehouse.snapshots();
        return sendJson(res, 200, faults);
      case 'POST /_sim/process':
        warehouse.process();
        break;
      case 'POST /_sim/fulfil':
        warehouse.fulfil(String(body.orderId), body.short === true);
        break;
      case 'POST /_sim/return':
        file.changed();
        return sendJson(res, 200, { returnId: warehouse.receiveReturn(String(body.orderId), ReturnCondition.parse(body.condition)) });
      case 'POST /_sim/stock':
        warehouse.adjustStock(String(body.sku), Number(body.delta));
        break;
      case 'POST /_sim/resend':
        return sendJson(res, 200, { resent: warehouse.files.resendLast() });
      default:
        return sendJson(res, 404, { error: 'not found' });
    }
    file.changed();
    return sendJson(res, 200, simState());
  };

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
