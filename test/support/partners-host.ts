// Runs the partner simulators for a benchmark in their own process: prints where they listen as
// one JSON line, then serves until SIGTERM. Started by `startFlowWorld({ partnersInChildProcess: true })`.
import { startPartners } from './flow-world';

const partners = await startPartners(JSON.parse(process.argv[2]) as Parameters<typeof startPartners>[0]);
const { close, ...where } = partners;
process.stdout.write(`${JSON.stringify(where)}\n`);
process.once('SIGTERM', () => void close().then(() => process.exit(0)));
