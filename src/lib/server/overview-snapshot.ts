import type { ConsoleServices } from './console-services';
import { loadOverview, type Overview } from './overview';

/** Snapshots older than this are refreshed in the background while still served. */
const FRESH_MS = 5_000;
/** Snapshots older than this are not served: the caller waits for a fresh one. */
const USABLE_MS = 60_000;

let snapshot: { overview: Overview; at: number } | undefined;
let refreshing: Promise<Overview> | undefined;

/**
 * The overview as every viewer sees it: one computation shared by all pages and live streams,
 * at most every 5 seconds (stale-while-revalidate), instead of one per viewer per tick. At a
 * million transactions one computation costs about a second of ClickHouse time, so sharing it
 * is what keeps the page fast and the cost independent of how many people watch.
 */
export async function currentOverview(services: ConsoleServices): Promise<Overview> {
  const age = snapshot ? Date.now() - snapshot.at : Number.POSITIVE_INFINITY;
  if (age > FRESH_MS) refreshing ??= refresh(services);
  if (snapshot && age <= USABLE_MS) return snapshot.overview;
  return refreshing!;
}

async function refresh(services: ConsoleServices): Promise<Overview> {
  try {
    const overview = await loadOverview(services);
    snapshot = { overview, at: Date.now() };
    return overview;
  } finally {
    refreshing = undefined;
  }
}
