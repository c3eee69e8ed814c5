/** Formatting shared by console pages (runs in the browser and on the server). */

/** 95 ms, 12.3 s, 4 min, 2.5 h, 3 d. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || ms < 0) return '—';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 86_400_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} d`;
}

/** 0.973 → "97.3%"; null → "—". */
export const percent = (ratio: number | null | undefined, digits = 1) =>
  ratio === null || ratio === undefined ? '—' : `${(ratio * 100).toFixed(digits)}%`;

/** A state id as words: `at_risk` → "at risk". */
export const words = (id: string) => id.replaceAll('_', ' ');

/** Epoch-ms string or ISO → "2026-11-27 09:30:01Z". */
export function timestamp(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const date = typeof value === 'number' || /^\d+$/.test(value) ? new Date(Number(value)) : new Date(value);
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** `pathname?query` of `url` with some query parameters replaced (links that keep the current filters). */
export function withQuery(url: URL, changes: Record<string, string | number>): string {
  const params = new URLSearchParams(url.searchParams);
  for (const [key, value] of Object.entries(changes)) params.set(key, String(value));
  return `${url.pathname}?${params}`;
}
