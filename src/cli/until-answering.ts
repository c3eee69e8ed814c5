/**
 * Resolves true once every URL answers an HTTP request (any status: it is up), or false when
 * `timeoutMs` passes or `signal` aborts first.
 */
export async function untilAnswering(urls: string[], timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(urls);
  while (pending.size > 0) {
    if (signal?.aborted || Date.now() > deadline) return false;
    for (const url of [...pending]) {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
        await response.arrayBuffer();
        pending.delete(url);
      } catch {
        // Not listening yet.
      }
    }
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return true;
}
