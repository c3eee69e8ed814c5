import type { AlertLabels, Severity } from '$lib/alerts';

/** The labels alerts carry and silences match on, in the order people read them. */
export const LABELS = ['rule', 'warehouse', 'process', 'serviceClass'] as const;
export type LabelName = (typeof LABELS)[number];

export const labelWords: Record<LabelName, string> = { rule: 'rule', warehouse: 'warehouse', process: 'process', serviceClass: 'service class' };

/** The labels a group key names: `warehouse=wms-rest,rule=x` → `{ warehouse: 'wms-rest', rule: 'x' }`. */
export function labelsOfGroupKey(groupKey: string): Partial<AlertLabels> {
  const labels: Partial<AlertLabels> = {};
  for (const part of groupKey.split(',')) {
    const at = part.indexOf('=');
    const name = part.slice(0, at) as LabelName;
    if (at > 0 && LABELS.includes(name)) labels[name] = part.slice(at + 1);
  }
  return labels;
}

/** `warehouse = wms-rest, rule = partner-down` for a silence's matchers or an alert's labels. */
export const labelText = (labels: Partial<Record<LabelName, string>>): string =>
  LABELS.filter((name) => labels[name]).map((name) => `${labelWords[name]} = ${labels[name]}`).join(', ');

/** The global badge class (`.state.<x>`) that colours a severity: red, amber, plain. */
export const severityClass: Record<Severity, string> = { critical: 'breached', warning: 'at_risk', info: '' };

/**
 * The URL when it is ours (a path) or http(s); undefined otherwise. Svelte escapes attribute
 * values but does not stop a `javascript:` URL in an href, and runbook URLs are data.
 */
export function safeHref(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  if (url.startsWith('/') && !url.startsWith('//')) return url;
  try {
    return ['http:', 'https:'].includes(new URL(url).protocol) ? url : undefined;
  } catch {
    return undefined;
  }
}

/** The runbook a rule's alerts point to: its own URL, or the console's section for its condition. */
export const runbookOf = (rule: { runbookUrl: string | null; condition: { kind: string } }): string => rule.runbookUrl ?? `/alerts/runbook#${rule.condition.kind}`;
