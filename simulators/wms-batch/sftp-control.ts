import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { endOutageAfter, readJson, ReturnCondition, sendJson } from '../wms-rest/sim-kit';

/** What an SFTP warehouse simulator (the batch WMS, the X12 3PL) exposes to its control plane. */
export interface SftpWarehouseControl<F extends { outage: boolean; outageForMs?: number }> {
  /** The simulator's fault settings; a change is parsed against it, so a wrong knob is a 400. */
  faultSchema: z.ZodType<F>;
  faults: { get(): F; set(next: F): void };
  /** Drops open SFTP sessions when an outage starts. */
  disconnectAll(): void;
  state(): unknown;
  /** Writes the stock report again at once, so a change of `unknownSkus` shows in the next one. */
  reportStock(): void;
  process(): void;
  fulfil(orderId: string, short: boolean): void;
  giveBack(orderId: string, condition: z.output<typeof ReturnCondition>): string;
  adjust(sku: string, delta: number): void;
  /** The simulator's state changed: persist it. */
  changed(): void;
  /** Routes only this simulator has, by `METHOD /path`; each answers its own body. */
  extra?: Record<string, () => unknown>;
}

/**
 * The `/_sim/*` control plane both SFTP warehouse simulators share: state, faults (outages end on
 * their own and drop open sessions), the batch window, fulfilment, returns and stock changes.
 */
export function sftpWarehouseControl<F extends { outage: boolean; outageForMs?: number }>(w: SftpWarehouseControl<F>) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const body = req.method === 'POST' ? ((await readJson(req)) as Record<string, unknown>) : {};
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case 'GET /_sim/state':
        return sendJson(res, 200, w.state());
      case 'GET /_sim/faults':
        return sendJson(res, 200, w.faults.get());
      case 'POST /_sim/faults': {
        const faults = w.faultSchema.parse({ ...w.faults.get(), ...body });
        w.faults.set(faults);
        if (faults.outage) endOutageAfter(faults.outageForMs, () => w.faults.set({ ...w.faults.get(), outage: false, outageForMs: undefined }));
        if (faults.outage) w.disconnectAll();
        if (body.unknownSkus !== undefined) w.reportStock();
        return sendJson(res, 200, faults);
      }
      case 'POST /_sim/process':
        w.process();
        break;
      case 'POST /_sim/fulfil':
        w.fulfil(String(body.orderId), body.short === true);
        break;
      case 'POST /_sim/return':
        w.changed();
        return sendJson(res, 200, { returnId: w.giveBack(String(body.orderId), ReturnCondition.parse(body.condition)) });
      case 'POST /_sim/stock':
        w.adjust(String(body.sku), Number(body.delta));
        break;
      default: {
        const extra = w.extra?.[route];
        return extra ? sendJson(res, 200, extra()) : sendJson(res, 404, { error: 'not found' });
      }
    }
    w.changed();
    return sendJson(res, 200, w.state());
  };
}
