import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOdooSimulator, type OdooSimulator } from '../../simulators/odoo';

const API_KEY = '5a4b3c2d1e0f5a4b3c2d1e0f5a4b3c2d1e0f5a4b';
// Wire replies are arbitrary JSON; the assertions are the type check.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
let sim: OdooSimulator;
let dir: string;

async function call(model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}, secret = API_KEY) {
  const res = await fetch(`${sim.url}/jsonrpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 1, params: { service: 'object', method: 'execute_kw', args: ['crossdock', 2, secret, model, method, args, kwargs] } }),
  });
  const body = (await res.json()) as { result?: Json; error?: Json };
  if (body.error) throw Object.assign(new Error(body.error.data.message), { data: body.error.data });
  return body.result;
}
const state = async () => (await (await fetch(`${sim.url}/_sim/state`)).json()) as Json;
const productId = async (code: string) => (await call('product.product', 'search', [[['default_code', '=', code]]]))[0] as number;
const quantAt = async (product: number, warehouseCode: string) => {
  const [wh] = await call('stock.warehouse', 'search_read', [[['code', '=', warehouseCode]]], { fields: ['lot_stock_id'] });
  const [quant] = await call('stock.quant', 'search_read', [[['product_id', '=', product], ['location_id', 'child_of', wh.lot_stock_id[0]]]], { fields: ['quantity', 'reserved_quantity'] });
  return quant as { id: number; quantity: number; reserved_quantity: number };
};

async function releasedOrder(lines: [string, number][], warehouseCode = 'WH') {
  const [partner] = await call('res.partner', 'search', [[['name', '=', 'Pacific Tools']]]);
  const [wh] = await call('stock.warehouse', 'search', [[['code', '=', warehouseCode]]]);
  const orderLines = [];
  for (const [code, qty] of lines) orderLines.push([0, 0, { product_id: await productId(code), product_uom_qty: qty }]);
  const id = await call('sale.order', 'create', [{ partner_id: partner, warehouse_id: wh, order_line: orderLines }]);
  await call('sale.order', 'action_confirm', [[id]]);
  const [picking] = await call('stock.picking', 'search_read', [[['sale_id', '=', id]]], { fields: ['name', 'state', 'move_ids', 'origin', 'picking_type_code', 'location_id'] });
  return { id, picking };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'odoo-stock-'));
  sim = await startOdooSimulator({ dataDir: dir, port: 0, apiKey: API_KEY });
});
afterAll(async () => {
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('simulated Odoo stock flows', () => {
  it('confirms an order into a reserved outgoing picking named after its warehouse', async () => {
    const product = await productId('ACM-1005');
    const before = await quantAt(product, 'DAL');
    const { id, picking } = await releasedOrder([['ACM-1005', 4]], 'DAL');
    const [order] = await call('sale.order', 'read', [[id], ['state', 'name', 'delivery_status']]);
    expect(order.state).toBe('sale');
    expect(picking).toMatchObject({ state: 'assigned', origin: order.name, picking_type_code: 'outgoing' });
    expect(picking.name).toMatch(/^DAL\/OUT\/\d{5}$/);
    expect((await quantAt(product, 'DAL')).reserved_quantity).toBe(before.reserved_quantity + 4);
    await expect(call('sale.order', 'action_confirm', [[id]])).rejects.toThrow('Some orders are not in a state requiring confirmation.');
  });

  it('validates with skip_backorder, creating a backorder for the short quantity, and moves stock', async () => {
    const product = await productId('ACM-1001');
    const before = await quantAt(product, 'WH');
    const { id, picking } = await releasedOrder([['ACM-1001', 5]]);
    // Without the context the backorder wizard comes back and nothing is done.
    await call('stock.move', 'write', [picking.move_ids, { quantity: 3, picked: true }]);
    const wizard = await call('stock.picking', 'button_validate', [[picking.id]]);
    expect(wizard).toMatchObject({ type: 'ir.actions.act_window', res_model: 'stock.backorder.confirmation', target: 'new' });
    expect(wizard.context.button_validate_picking_ids).toEqual([picking.id]);
    expect((await call('stock.picking', 'read', [[picking.id], ['state']]))[0].state).toBe('assigned');

    expect(await call('stock.picking', 'button_validate', [[picking.id]], { context: { skip_backorder: true } })).toBe(true);
    const [done] = await call('stock.picking', 'read', [[picking.id], ['state', 'date_done']]);
    expect(done.state).toBe('done');
    expect(done.date_done).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const [backorder] = await call('stock.picking', 'search_read', [[['backorder_id', '=', picking.id]]], { fields: ['state', 'move_ids'] });
    const [remainder] = await call('stock.move', 'read', [backorder.move_ids, ['product_uom_qty']]);
    expect(remainder.product_uom_qty).toBe(2);
    const [order] = await call('sale.order', 'read', [[id], ['delivery_status', 'order_line']]);
    expect(order.delivery_status).toBe('partial');
    const [line] = await call('sale.order.line', 'read', [order.order_line, ['qty_delivered']]);
    expect(line.qty_delivered).toBe(3);
    expect((await quantAt(product, 'WH')).quantity).toBe(before.quantity - 3);
  });

  it('answers the backorder wizard the way the web client does: process keeps a backorder, process_cancel_backorder does not', async () => {
    for (const [button, expectBackorder] of [['process', true], ['process_cancel_backorder', false]] as const) {
      const { picking } = await releasedOrder([['ACM-1002', 4]]);
      await call('stock.move', 'write', [picking.move_ids, { quantity: 1, picked: true }]);
      const action = await call('stock.picking', 'button_validate', [[picking.id]]);
      expect(action.res_model).toBe('stock.backorder.confirmation');
      // The client creates the wizard with the action's context (default_pick_ids fills pick_ids) and presses a button.
      const wizard = await call(action.res_model, 'create', [{}], { context: action.context });
      expect((await call(action.res_model, 'read', [[wizard], ['pick_ids']], { context: action.context }))[0].pick_ids).toEqual([picking.id]);
      expect(await call(action.res_model, button, [[wizard]], { context: action.context })).toBe(true);
      expect((await call('stock.picking', 'read', [[picking.id], ['state']]))[0].state).toBe('done');
      const backorders = await call('stock.picking', 'search', [[['backorder_id', '=', picking.id]]]);
      expect(backorders.length).toBe(expectBackorder ? 1 : 0);
    }
  });

  it('refuses to validate a picking with nothing reserved, and rolls the whole call back', async () => {
    const product = await productId('ACM-4002');
    const quant = await quantAt(product, 'NJ3');
    const { picking } = await releasedOrder([['ACM-4002', quant.quantity + 1000]], 'NJ3');
    expect(picking.state).toBe('assigned'); // partially available: reserved what there was
    const empty = await releasedOrder([['ACM-4002', 10]], 'NJ3');
    expect(empty.picking.state).toBe('confirmed');
    await expect(call('stock.picking', 'button_validate', [[empty.picking.id]])).rejects.toThrow(
      'You cannot validate a transfer if no quantities are reserved. To force the transfer, encode quantities.',
    );
    expect((await call('stock.picking', 'read', [[empty.picking.id], ['state']]))[0].state).toBe('confirmed');
  });

  it('adjusts inventory through inventory mode, reusing the quant, and apply returns None', async () => {
    const product = await productId('ACM-3001');
    const quant = await quantAt(product, 'WH');
    const [wh] = await call('stock.warehouse', 'search_read', [[['code', '=', 'WH']]], { fields: ['lot_stock_id'] });
    const id = await call('stock.quant', 'create', [{ product_id: product, location_id: wh.lot_stock_id[0], inventory_quantity: 77 }], { context: { inventory_mode: true } });
    expect(id).toBe(quant.id);
    const applied = await call('stock.quant', 'action_apply_inventory', [[id]], { context: { inventory_mode: true } });
    expect(applied).toBeUndefined();
    expect((await quantAt(product, 'WH')).quantity).toBe(77);
    await expect(call('stock.quant', 'create', [{ product_id: product, location_id: wh.lot_stock_id[0], quantity: 5 }], { context: { inventory_mode: true } })).rejects.toThrow(
      "Quant's editing is restricted, you can't do this operation.",
    );
  });

  it('creates a return through the return wizard, back into stock when validated', async () => {
    const { picking } = await releasedOrder([['ACM-1006', 2]]);
    await call('stock.picking', 'button_validate', [[picking.id]]);
    const wizardId = await call('stock.return.picking', 'create', [{}], { context: { active_id: picking.id, active_model: 'stock.picking' } });
    const [wizard] = await call('stock.return.picking', 'read', [[wizardId], ['picking_id', 'product_return_moves']]);
    expect(wizard.picking_id[0]).toBe(picking.id);
    const [line] = await call('stock.return.picking.line', 'read', [wizard.product_return_moves, ['quantity']]);
    expect(line.quantity).toBe(2); // 17 proposes what was delivered
    const action = await call('stock.return.picking', 'create_returns', [[wizardId]]);
    expect(action).toMatchObject({ type: 'ir.actions.act_window', res_model: 'stock.picking', res_id: expect.any(Number) });
    const [ret] = await call('stock.picking', 'read', [[action.res_id], ['origin', 'return_id', 'state', 'picking_type_code', 'name']]);
    expect(ret).toMatchObject({ origin: `Return of ${picking.name}`, return_id: [picking.id, picking.name], state: 'assigned', picking_type_code: 'incoming' });
    expect(ret.name).toMatch(/^WH\/IN\/\d{5}$/);
    const s = await state();
    expect(s.counters.returnsCreated).toBe(1);
    expect(s.counters.pickingsValidated).toBeGreaterThanOrEqual(2);
    expect(s.counters.quantsAdjusted).toBe(1);
  });
});

describe('simulated Odoo master data', () => {
  it('gives a product an admin creates its variant at once, so it can be sold, and archives it', async () => {
    const [units] = await call('uom.uom', 'search', [[['name', '=', 'Units']]]);
    const template = await call('product.template', 'create', [{ name: 'Promo Bundle', default_code: 'ACM-9999', uom_id: units, type: 'product', sale_ok: true }]);
    const [variant] = await call('product.product', 'search_read', [[['product_tmpl_id', '=', template]]], { fields: ['default_code', 'display_name'] });
    expect(variant).toMatchObject({ default_code: 'ACM-9999', display_name: '[ACM-9999] Promo Bundle' });
    const { picking } = await releasedOrder([['ACM-9999', 2]]);
    expect(picking.state).toBe('confirmed'); // nothing on hand to reserve

    await call('product.template', 'write', [[template], { active: false }]);
    await call('product.product', 'write', [[variant.id], { active: false }]);
    expect(await call('product.product', 'search', [[['default_code', '=', 'ACM-9999']]])).toEqual([]);
  });
});

describe('simulator fault knobs and persistence', () => {
  it('answers 502 during maintenance, AccessDenied after a key rotation, and keeps state across a restart', async () => {
    await fetch(`${sim.url}/_sim/faults`, { method: 'POST', body: JSON.stringify({ maintenance: true }) });
    const down = await fetch(`${sim.url}/jsonrpc`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(down.status).toBe(502);
    await fetch(`${sim.url}/_sim/faults`, { method: 'POST', body: JSON.stringify({ reset: true }) });

    const rotated = (await (await fetch(`${sim.url}/_sim/faults`, { method: 'POST', body: JSON.stringify({ rotateApiKey: true }) })).json()) as { apiKey: string };
    await expect(call('sale.order', 'search', [[]])).rejects.toThrow('Access Denied');
    const orders = (await call('sale.order', 'search_count', [[]], {}, rotated.apiKey)) as number;

    const bad = await fetch(`${sim.url}/_sim/faults`, { method: 'POST', body: JSON.stringify({ latencyMs: -1 }) });
    expect(bad.status).toBe(400);

    await sim.close();
    // A new port, so no pooled keep-alive connection to the stopped server is reused.
    sim = await startOdooSimulator({ dataDir: dir, port: 0 });
    expect(await call('sale.order', 'search_count', [[]], {}, rotated.apiKey)).toBe(orders);
    expect((await state()).counters.returnsCreated).toBe(1);
  });
});
