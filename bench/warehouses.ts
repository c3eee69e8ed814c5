// Throughput of each warehouse adapter against its simulator on loopback, and the parse rates of
// the inbound formats with memory for a large file: REST create-order calls, webhook verify +
// decode, CSV batch orders over SFTP and CSV shipment-file import, X12 940 over SFTP and 945 parsing.
// Simulators run in this process (one core for both sides of each exchange on a 2-core machine).
//   npx tsx bench/warehouses.ts [--orders 1000] [--concurrency 8] [--csv-rows 100000] [--x12-sets 5000]
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { Order } from '../src/lib/integration/canonical';
import { Edi3plAdapter, parseX12 } from '../src/lib/integration/connectors/edi-3pl';
import ediMapping from '../src/lib/integration/connectors/edi-3pl/fixtures/mapping.json';
import { from945 } from '../src/lib/integration/connectors/edi-3pl/mapping';
import { MappingTables, WarehouseMapping } from '../src/lib/integration/connectors/warehouse-mapping';
import { WmsBatchAdapter } from '../src/lib/integration/connectors/wms-batch';
import { Columns, readCsv, writeCsv } from '../src/lib/integration/connectors/wms-batch/csv-files';
import batchMapping from '../src/lib/integration/connectors/wms-batch/fixtures/mapping.json';
import { shipmentEvents } from '../src/lib/integration/connectors/wms-batch/mapping';
import { rowsOf, ShipmentRow } from '../src/lib/integration/connectors/wms-batch/rows';
import { WmsRestAdapter } from '../src/lib/integration/connectors/wms-rest';
import restMapping from '../src/lib/integration/connectors/wms-rest/fixtures/mapping.json';
import shippedHook from '../src/lib/integration/connectors/wms-rest/fixtures/order-shipped.webhook.json';
import { MessageLedger } from '../src/lib/integration/delivery';
import { openRuntimeDb } from '../src/lib/integration/store/runtime-db';
import { startEdi3plSimulator } from '../simulators/edi-3pl';
import { startWmsBatchSimulator } from '../simulators/wms-batch';
import { startWmsRestSimulator } from '../simulators/wms-rest';
import { anOrder } from '../test/factories/canonical';

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '8' },
    'csv-rows': { type: 'string', default: '100000' },
    'x12-sets': { type: 'string', default: '5000' },
  },
});
const orders = Number(values.orders);
const concurrency = Number(values.concurrency);
const csvRows = Number(values['csv-rows']);
const x12Sets = Number(values['x12-sets']);
const dir = mkdtempSync(join(tmpdir(), 'bench-warehouses-'));
const order = (i: number) => Order.parse(anOrder({ orderId: `B${String(i).padStart(7, '0')}` }));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const rate = (n: number, ms: number) => Math.round((n / ms) * 1000).toLocaleString('en-US');

/** Runs `work(i)` for i in [0, n) with `width` in flight; returns elapsed ms. */
async function pool(n: number, width: number, work: (i: number) => Promise<unknown>): Promise<number> {
  const start = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < n) await work(next++);
  }));
  return performance.now() - start;
}

/**
 * Measures a synchronous parse. Memory is the growth of the resident set across it: the heap can
 * shrink mid-run when V8 collects, while RSS keeps the high-water mark of what the parse needed.
 */
function measure<T>(work: () => T): { ms: number; heap: number; result: T } {
  const before = process.memoryUsage().rss;
  const start = performance.now();
  const result = work();
  const ms = performance.now() - start;
  return { ms, heap: Math.max(0, process.memoryUsage().rss - before), result };
}

console.log(`warehouse benchmark: ${orders} orders, concurrency ${concurrency}, ${cpus().length} cores, node ${process.version}`);
try {
  // REST WMS: POST /v1/orders through the adapter (mapping, auth, zod-parsed response).
  const secret = `whsec_${Buffer.from('bench-webhook-secret-0123456789').toString('base64')}`;
  const rest = await startWmsRestSimulator({ port: 0, apiKey: 'bench', webhookSecret: secret, stock: { 'HX-1001': 1e9, 'HX-2040': 1e9 } });
  const restAdapter = new WmsRestAdapter({ baseUrl: rest.url, auth: { kind: 'api_key', apiKey: 'bench' }, webhookSecret: secret, mapping: WarehouseMapping.parse(restMapping) });
  const restMs = await pool(orders, concurrency, (i) => restAdapter.sendOrder(order(i)));
  console.log(`wms-rest    send order (HTTP create, ${concurrency} in flight)    ${rate(orders, restMs)} orders/s`);
  await rest.close();

  // Webhook verify (HMAC-SHA256 over id.timestamp.body) + zod parse + decode to canonical events.
  const signer = new Webhook(secret);
  const body = JSON.stringify({ ...shippedHook, timestamp: new Date().toISOString() });
  const hooks = Array.from({ length: 20_000 }, (_, i) => {
    const at = new Date();
    return { 'webhook-id': `msg_${i}`, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signer.sign(`msg_${i}`, at, body) };
  });
  const hookRun = measure(() => hooks.reduce((n, h) => n + restAdapter.webhooks.decode(h, body).events.length, 0));
  console.log(`wms-rest    webhook verify + decode (${body.length} B shipped webhook)    ${rate(hooks.length, hookRun.ms)} webhooks/s`);

  // Batch WMS: orders in files of 100 over SFTP (temp + rename), then a large shipment file parsed.
  const batchDb = openRuntimeDb(join(dir, 'batch.db'));
  const batch = await startWmsBatchSimulator({ dir: join(dir, 'batch'), sftpPort: 0, controlPort: 0, username: 'u', password: 'p', stock: { 'NWH-100100': 1e9, '0004711': 1e9 } });
  const batchAdapter = new WmsBatchAdapter({ sftp: { host: '127.0.0.1', port: batch.sftpPort, username: 'u', password: 'p' }, clientCode: 'BENCH', mapping: WarehouseMapping.parse(batchMapping) }, { ledger: new MessageLedger(batchDb) });
  const perFile = 100;
  const batchMs = await pool(Math.ceil(orders / perFile), 1, (f) => batchAdapter.sendOrders(Array.from({ length: perFile }, (_, i) => order(f * perFile + i))));
  const singleMs = await pool(Math.min(orders, 200), 1, (i) => batchAdapter.sendOrder(order(1e6 + i)));
  console.log(`wms-batch   send orders (CSV over SFTP, ${perFile} per file)    ${rate(orders, batchMs)} orders/s; one order per file ${rate(Math.min(orders, 200), singleMs)} orders/s`);
  await batchAdapter.close();
  await batch.close();
  batchDb.close();
  const tables = new MappingTables(WarehouseMapping.parse(batchMapping));
  const shipmentRows = Array.from({ length: csvRows }, (_, i) => ({
    ORDER_NO: `S${Math.floor(i / 2)}`, SHIPMENT_NO: `SH${Math.floor(i / 2)}`, LINE_NO: String((i % 2) + 1), ITEM_CODE: i % 2 ? '0004711' : 'NWH-100100',
    QTY_ORDERED: '3', QTY_SHIPPED: i % 50 === 0 ? '2' : '3', UOM: 'CA', CARTON_ID: `C${i}`, TRACKING_NO: `1Z${String(i).padStart(16, '0')}`, CARRIER: 'UPS', SHIP_DATE: '11/27/2026 15:30:00', WEIGHT_KG: '11.20',
  }));
  const csv = writeCsv(Columns.shipment, shipmentRows);
  const csvRun = measure(() => {
    const parsed = readCsv(csv, Columns.shipment, 'SHP.csv');
    if (!parsed.complete) throw new Error('incomplete');
    return shipmentEvents(rowsOf(ShipmentRow, parsed.rows, 'SHP.csv'), tables, 'SHP.csv').length;
  });
  console.log(`wms-batch   shipment CSV import (${csvRows.toLocaleString('en-US')} rows, ${mb(csv.length)}): parse + validate + map    ${rate(csvRows, csvRun.ms)} rows/s, RSS +${mb(csvRun.heap)}, ${csvRun.result} events`);

  // EDI 3PL: one 940 interchange per order over SFTP (control numbers in SQLite), then a large 945 file.
  const ediDb = openRuntimeDb(join(dir, 'edi.db'));
  const edi = await startEdi3plSimulator({ dir: join(dir, 'edi'), sftpPort: 0, controlPort: 0, username: 'u', password: 'p' });
  const ediAdapter = new Edi3plAdapter({ sftp: { host: '127.0.0.1', port: edi.sftpPort, username: 'u', password: 'p' }, ourId: 'CROSSDOCK', partnerId: 'EDI3PL', mapping: WarehouseMapping.parse(ediMapping) }, { ledger: new MessageLedger(ediDb), db: ediDb });
  const ediOrders = Math.min(orders, 500);
  const ediMs = await pool(ediOrders, 1, (i) => ediAdapter.sendOrder(order(i)));
  console.log(`edi-3pl     send order (940 interchange over SFTP, sequential)    ${rate(ediOrders, ediMs)} orders/s`);
  await ediAdapter.close();
  await edi.close();
  ediDb.close();
  const ediTables = new MappingTables(WarehouseMapping.parse(ediMapping));
  const set = (i: number) => [`ST*945*${String(i).padStart(4, '0')}`, `W06*F*S${i}*20261127*BOL${i}*SHP${i}`, 'N1*ST*NORTHWIND HARDWARE', 'W27*M*UPSN*UPS GROUND*PP', 'LX*1', `MAN*CP*1Z${String(i).padStart(16, '0')}`, 'W12*CC*24*24*0*EA**VN*10001001', 'N9*LI*1', 'LX*2', `MAN*CP*1Z${String(i + 1e7).padStart(16, '0')}`, 'W12*CC*2*2*0*CA**VN*10002040', 'N9*LI*2', 'W03*26*31.5*LB', `SE*14*${String(i).padStart(4, '0')}`];
  const segmentsPerSet = 14;
  const x12 = ['ISA*00*          *00*          *ZZ*EDI3PL         *ZZ*CROSSDOCK      *261127*1530*U*00401*000000001*0*P*>', 'GS*SW*EDI3PL*CROSSDOCK*20261127*1530*1*X*004010', ...Array.from({ length: x12Sets }, (_, i) => set(i + 1)).flat(), `GE*${x12Sets}*1`, 'IEA*1*000000001'].join('~\n') + '~\n';
  const segmentCount = x12Sets * segmentsPerSet + 4;
  const parseOnly = measure(() => parseX12(x12, '945.x12'));
  const x12Run = measure(() => parseX12(x12, '945.x12').flatMap((ic) => ic.groups.flatMap((g) => g.sets.flatMap((s) => from945(s, ediTables, `ST ${s.control}`)))).length);
  console.log(`edi-3pl     945 parse only, node-x12 strict (${x12Sets.toLocaleString('en-US')} sets, ${segmentCount.toLocaleString('en-US')} segments, ${mb(x12.length)})    ${rate(segmentCount, parseOnly.ms)} segments/s, RSS +${mb(parseOnly.heap)}`);
  console.log(`edi-3pl     945 parse + map to canonical events    ${rate(segmentCount, x12Run.ms)} segments/s (${rate(x12Sets, x12Run.ms)} sets/s), ${x12Run.result} events`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
