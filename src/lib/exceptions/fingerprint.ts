import type { ExceptionCategory } from '../integration/taxonomy';

// Order of replacement matters: the specific shapes first, then whatever digits remain.
const VOLATILE: [RegExp, string][] = [
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?/g, '<time>'],
  [/[\w.+-]+@[\w-]+\.[\w.-]+/g, '<email>'],
  [/\b[0-9a-f]{16,}\b/gi, '<hex>'],
  // Business references: S00042, WH/OUT/00012, RMA-2024-118, PO_7781, ISA control numbers.
  [/\b[A-Za-z][A-Za-z_]*(?:[/_-][A-Za-z0-9]+)*[/_-]?\d{2,}\b/g, '<ref>'],
  [/\d+(\.\d+)?/g, '<n>'],
];

/**
 * The message with what varies between occurrences of the same problem (ids, references,
 * numbers, times) replaced by placeholders: "HTTP 503 for order S00042 after 3012 ms" and
 * "HTTP 503 for order S00077 after 2890 ms" share one signature.
 */
export function signatureOf(message: string): string {
  let text = message.split('\n', 1)[0];
  for (const [pattern, placeholder] of VOLATILE) text = text.replace(pattern, placeholder);
  return text.replace(/\s+/g, ' ').trim().slice(0, 240);
}

/** Exceptions with the same key are one incident: same category, partner, operation and signature. */
export function groupKeyOf(input: { category: ExceptionCategory; partner: string; operation: string; error: string }): { key: string; signature: string } {
  const signature = signatureOf(input.error);
  return { key: [input.category, input.partner, input.operation, signature].join('\u001f'), signature };
}
