/**
 * The load side of bench/ingest.ts, in its own process like a real exporter: posts pre-encoded
 * OTLP protobuf requests with N in flight, honouring 429/503 Retry-After (as the OTLP spec asks),
 * and reports what it sent. Usage: tsx ingest-sender.ts <url> <totalSpans> <spansPerRequest> <inFlight>
 */
import { encodeRequests } from './otlp-requests';

const [url, totalArg, perRequestArg, inFlightArg] = process.argv.slice(2);
const total = Number(totalArg);
const perRequest = Number(perRequestArg);
const inFlight = Number(inFlightArg);
const templates = encodeRequests(50, perRequest);
const requests = Math.ceil(total / perRequest);

let next = 0;
let throttled = 0;
let sent = 0;
const started = performance.now();
async function lane() {
  for (;;) {
    const i = next++;
    if (i >= requests) return;
    for (;;) {
      const response = await fetch(`${url}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        body: new Uint8Array(templates[i % templates.length]),
      });
      await response.arrayBuffer();
      if (response.status === 200) break;
      if (response.status !== 429 && response.status !== 503) throw new Error(`collector answered ${response.status}`);
      throttled++;
      // Retry-After is in seconds; a short pause keeps the bench quick while still backing off.
      await new Promise((r) => setTimeout(r, Math.min(Number(response.headers.get('retry-after') ?? 1) * 1000, 200)));
    }
    sent += perRequest;
  }
}
await Promise.all(Array.from({ length: inFlight }, lane));
console.log(JSON.stringify({ sent, throttled, sendSeconds: (performance.now() - started) / 1000 }));
