// The whole chain at a cut-off peak: orders created in the Odoo simulator over JSON-RPC at a
// fixed rate, taken by the runtime's Odoo poll (the default 500 ms), routed, sent to the three
// warehouse simulators (REST over HTTP, CSV and X12 over SFTP), acknowledged by them and applied
// by the runtime, on embedded defaults (SQLite bus in a temp data dir). Prints orders/s and
// release→acknowledged latency p50/p95/p99 per warehouse, with CPU and memory.
// Release = the moment Odoo confirmed the order (the create call returned); acknowledged = the
// runtime applied the warehouse's acknowledgement (the end of the span marking it). The REST WMS
// acknowledges on its own within ~100 ms and, as at a release peak, picks and ships later (not in
// this window); the batch WMS and the 3PL acknowledge in
// their next batch window, which the bench runs every --window-ms, so their latency is that
// window's, by design of those protocols. The runtime runs in this process, the simulators in a
// child process (the partners' machines), so each side has a core of the two here.
//   npx tsx bench/e2e.ts [--rate 50] [--seconds 60] [--window-ms 5000] [--odoo-webhooks]
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { trace, type Context } from '@opentelemetry/api';
import { BasicTracerProvider, type ReadableSpan, type Span, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Attr } from '../src/lib/telemetry/conventions';
import { startFlowWorld } from '../test/support/flow-world';

const { values } = parseArgs({
  options: { rate: { type: 'string', default: '50' }, seconds: { type: 'string', default: '60' }, 'window-ms': { type: 'string', default: '5000' }, 'odoo-webhooks': { type: 'boolean', default: false } },
});
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const windowMs = Number(values['window-ms']);

/** Records when each order's acknowledgement was applied, and nothing else (the bench's only span cost). */
const acknowledgedAt = new Map<string, number>();
const releasedAt = new Map<string, number>();
const sentAt = new Map<string, number>();
class MilestoneClock implements SpanProcessor {
  onStart(_span: Span, _context: Context): void {}
  onEnd(span: ReadableSpan): void {
    const m = span.attributes[Attr.processMilestone];
    const id = String(span.attributes[Attr.correlationId]);
    const end = span.endTime[0] * 1e3 + span.endTime[1] / 1e6;
    // A reordered webhook can bring the shipment before the acknowledgement: the first of these is when the warehouse had it.
    if ((m === 'acknowledged' || m === 'picked' || m === 'shipped') && !acknowledgedAt.has(id)) acknowledgedAt.set(id, end);
    if (m === 'sent_to_warehouse' && !sentAt.has(id)) sentAt.set(id, end);
    if (m === 'released' && !releasedAt.has(id)) releasedAt.set(id, end);
  }
  async forceFlush() {}
  async shutdown() {}
}
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new MilestoneClock()] }));

const world = await startFlowWorld({ odooPollMs: 500, autoAdvanceMs: 100, autoAcknowledgeOnly: true, partnersInChildProcess: true, odooWebhooks: values['odoo-webhooks'] });
const customers = Object.fromEntries(
  await Promise.all(
    ['Acme Hardware', 'Lone Star Supply', 'Garden State Goods'].map(async (name) => [name, (await world.odooCall<number[]>('res.partner', 'search', [[['name', '=', name]]]))[0]] as const),
  ),
);
const products = await world.odooCall<number[]>('product.product', 'search', [[['default_code', 'like', 'ACM-']]]);
// 60% Chicago (REST), 20% Dallas (CSV), 20% Newark (X12), one unit of one product each.
const mix = ['Acme Hardware', 'Acme Hardware', 'Acme Hardware', 'Lone Star Supply', 'Garden State Goods'];

const created = new Map<string, number>();
const peak = { rss: 0 };
const sampler = setInterval(() => (peak.rss = Math.max(peak.rss, process.memoryUsage().rss)), 250);
const windows = setInterval(() => {
  for (const w of ['wms-batch', 'edi-3pl']) void world.sim(w, 'process', {}).catch(() => undefined);
}, windowMs);
const cpu0 = process.cpuUsage();
const t0 = performance.now();

console.log(`bench e2e: ${rate} orders/s for ${seconds} s through Odoo → runtime → 3 warehouses; ${cpus().length} cores; Odoo poll 500 ms${values['odoo-webhooks'] ? ' + automation-rule webhooks' : ''}; batch/X12 window ${windowMs} ms`);
const total = rate * seconds;
let inFlight = 0;
for (let i = 0; i < total; i++) {
  const due = t0 + (i * 1000) / rate;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  inFlight++;
  void (async () => {
    const id = await world.odooCall<number>('sale.order', 'create', [{ partner_id: customers[mix[i % mix.length]], order_line: [[0, 0, { product_id: products[i % products.length], product_uom_qty: 1 }]] }]);
    await world.odooCall('sale.order', 'action_confirm', [[id]]);
    const [{ name }] = await world.odooCall<{ name: string }[]>('sale.order', 'read', [[id]], { fields: ['name'] });
    created.set(name, performance.timeOrigin + performance.now());
  })().finally(() => inFlight--);
}
while (inFlight > 0) await new Promise((r) => setTimeout(r, 20));
const offeredMs = performance.now() - t0;
// Wait for the stragglers (bounded).
const deadline = performance.now() + 30_000;
while (performance.now() < deadline && [...created.keys()].some((id) => !acknowledgedAt.has(id))) await new Promise((r) => setTimeout(r, 100));
const drainedMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
clearInterval(sampler);
clearInterval(windows);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const report = (label: string, ids: string[]) => {
  const latencies = ids.filter((id) => acknowledgedAt.has(id)).map((id) => acknowledgedAt.get(id)! - created.get(id)!).sort((a, b) => a - b);
  const pickup = ids.filter((id) => releasedAt.has(id)).map((id) => releasedAt.get(id)! - created.get(id)!).sort((a, b) => a - b);
  const toSend = ids.filter((id) => sentAt.has(id) && releasedAt.has(id)).map((id) => sentAt.get(id)! - releasedAt.get(id)!).sort((a, b) => a - b);
  const toAck = ids.filter((id) => sentAt.has(id) && acknowledgedAt.has(id)).map((id) => acknowledgedAt.get(id)! - sentAt.get(id)!).sort((a, b) => a - b);
  console.log(
    `  ${label.padEnd(10)} ${String(ids.length).padStart(5)} orders, ${String(ids.length - latencies.length).padStart(3)} unacknowledged | release→acknowledged p50 ${percentile(latencies, 50).toFixed(0)} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms | pickup p50/p95 ${percentile(pickup, 50).toFixed(0)}/${percentile(pickup, 95).toFixed(0)} ms, taken→sent ${percentile(toSend, 50).toFixed(0)}/${percentile(toSend, 95).toFixed(0)} ms, sent→acknowledged ${percentile(toAck, 50).toFixed(0)}/${percentile(toAck, 95).toFixed(0)} ms`,
  );
};
const byWarehouse: Record<string, string[]> = {};
for (const id of created.keys()) (byWarehouse[world.integration.flows.admin.order(id)?.warehouseId ?? 'unrouted'] ??= []).push(id);
console.log(`  offered ${created.size} orders in ${(offeredMs / 1000).toFixed(1)} s = ${(created.size / (offeredMs / 1000)).toFixed(1)} orders/s; all acknowledged after ${(drainedMs / 1000).toFixed(1)} s`);
for (const [warehouse, ids] of Object.entries(byWarehouse)) report(warehouse, ids);
report('all', [...created.keys()]);
console.log(`  CPU ${((cpu.user + cpu.system) / 1e3 / drainedMs * 100).toFixed(0)}% of one core (user ${(cpu.user / 1e6).toFixed(1)} s, system ${(cpu.system / 1e6).toFixed(1)} s: runtime and order driver; the simulators run in a child process), peak RSS ${(peak.rss / 1024 / 1024).toFixed(0)} MB`);
console.log(`  dead letters ${world.integration.runtime.deadLetters.list({ limit: 500 }).length}`);
await world.stop();
