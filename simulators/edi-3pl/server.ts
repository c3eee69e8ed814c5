import { join } from 'node:path';
import { z } from 'zod';
import { sftpWarehouseControl } from '../wms-batch/sftp-control';
import { startSftpServer } from '../wms-batch/sftp-server';
import { CommonFaults, seededRandom, startControlServer, StateFile } from '../wms-rest/sim-kit';
import { ThreePl, type ThreePlState } from './three-pl';

export const Edi3plFaults = CommonFaults.extend({
  wrongSegmentCount: z.boolean().default(false),
  reuseControlNumber: z.boolean().default(false),
});

export interface Edi3plSimulatorOptions {
  /** Mailbox and `state.json` live here. */
  dir: string;
  host?: string;
  /** @defaultValue 9123 */
  sftpPort?: number;
  /** @defaultValue 9103 */
  controlPort?: number;
  username: string;
  password: string;
  /** The 3PL's interchange id and ours (the depositor's), as in ISA06/ISA08. */
  threePlId?: string;
  depositorId?: string;
  /** Starting stock per item code, with the unit the 3PL counts it in (`EA`, `CA`). */
  stock?: Record<string, { qty: number; uom: string }>;
  seed?: number;
  /** When set, the translator runs this often and accepted orders ship on the next run (demo traffic). */
  runEveryMs?: number;
}

export interface RunningEdi3plSimulator {
  sftpPort: number;
  controlUrl: string;
  threePl: ThreePl;
  close(): Promise<void>;
}

/** An X12 4010 3PL on loopback: an SFTP mailbox plus the same `/_sim/*` control plane as the other simulators. */
export async function startEdi3plSimulator(options: Edi3plSimulatorOptions): Promise<RunningEdi3plSimulator> {
  const random = seededRandom(options.seed ?? 11);
  let faults = Edi3plFaults.parse({});
  const file = new StateFile<ThreePlState>(join(options.dir, 'state.json'), (): ThreePlState => threePl.state);
  const state: ThreePlState = file.load() ?? {
    orders: {},
    stock: Object.fromEntries(Object.entries(options.stock ?? {}).map(([item, s]) => [item, { onHand: s.qty, allocated: 0, uom: s.uom }])),
    isaControl: 0,
    gsControl: 0,
    interchangesIn: 0,
    acksFromDepositor: { accepted: 0, rejected: 0 },
    returns: 0,
  };
  const us = { id: options.threePlId ?? 'EDI3PL', qualifier: 'ZZ' };
  const depositor = { id: options.depositorId ?? 'CROSSDOCK', qualifier: 'ZZ' };
  const threePl: ThreePl = new ThreePl(join(options.dir, 'mailbox'), state, us, depositor, () => faults, random);
  threePl.inventoryAdvice();
  const sftp = await startSftpServer({ root: threePl.root, username: options.username, password: options.password, host: options.host, port: options.sftpPort ?? 9123, refuse: () => faults.outage });

  const simState = () => ({
    dialect: 'edi-3pl',
    orders: Object.fromEntries(Object.entries(threePl.state.orders).map(([no, o]) => [no, { status: o.status, received: o.timesReceived, lines: o.lines }])),
    received: {
      distinct: Object.keys(threePl.state.orders).length,
      raw: Object.values(threePl.state.orders).reduce((n, o) => n + o.timesReceived, 0),
      interchanges: threePl.state.interchangesIn,
    },
    shipped: Object.values(threePl.state.orders).filter((o) => o.status === 'shipped').length,
    acksFromDepositor: threePl.state.acksFromDepositor,
    returns: threePl.state.returns,
    stock: threePl.state.stock,
    sftp: sftp.stats,
  });

  const control = sftpWarehouseControl({
    faultSchema: Edi3plFaults,
    faults: { get: () => faults, set: (next) => (faults = next) },
    disconnectAll: () => sftp.disconnectAll(),
    state: simState,
    reportStock: () => threePl.inventoryAdvice(),
    process: () => threePl.process(),
    fulfil: (orderId, short) => threePl.ship(orderId, short),
    giveBack: (orderId, condition) => threePl.receiveReturn(orderId, condition),
    adjust: (sku, delta) => threePl.adjust(sku, delta),
    changed: () => file.changed(),
  });

  const http = await startControlServer(control, { port: options.controlPort ?? 9103, host: options.host });
  const timer = options.runEveryMs
    ? setInterval(() => {
        for (const [no, o] of Object.entries(threePl.state.orders)) if (o.status === 'accepted') threePl.ship(no, false);
        threePl.process();
        file.changed();
      }, options.runEveryMs)
    : undefined;
  return {
    sftpPort: sftp.port,
    controlUrl: http.url,
    threePl,
    async close() {
      if (timer) clearInterval(timer);
      file.flush();
      await sftp.close();
      await http.close();
    },
  };
}
