import type { ExceptionInput } from './types';

/**
 * Turns an exception into what the offline engine reasons about: the lower-cased text with the
 * things that never repeat (ids, numbers, UUIDs, paths, URLs, e-mail addresses) replaced by
 * placeholders, and a bag of tokens. The signals that do carry meaning survive as tokens of
 * their own: the HTTP status (`http_429`, `http_5xx`), X12 acknowledgement codes (`ak5_r`),
 * the source (`src_wms_rest`) and the operation's words (`op_picking`).
 */
export interface Features {
  /** The error text, lower-cased (numbers kept: "no 997 within 4 hours"), then the signal tokens: what rules match. */
  text: string;
  /** Unigrams and adjacent bigrams of the error text, plus signal, source and operation tokens. */
  tokens: string[];
  /** The signal tokens alone (HTTP status, X12 codes), for the rationale. */
  signals: string[];
}

const statusWords: Record<string, string> = {
  'bad request': '400', unauthorized: '401', forbidden: '403', 'not found': '404', 'request timeout': '408', conflict: '409',
  'unprocessable entity': '422', 'unprocessable content': '422', 'too many requests': '429', 'internal server error': '500',
  'bad gateway': '502', 'service unavailable': '503', 'gateway timeout': '504', 'gateway time-out': '504',
};
const statusAfterWord = /\b(?:http(?:\/\d(?:\.\d)?)?|status(?: code)?|answered|returned|responded(?: with)?|response|code|error)[\s:=#(]*([1-5]\d\d)\b/gi;
const statusBeforePhrase = new RegExp(`\\b([1-5]\\d\\d)[\\s:-]+(?:${Object.keys(statusWords).join('|')})\\b`, 'gi');
const unambiguousPhrases = ['too many requests', 'bad gateway', 'service unavailable', 'gateway timeout', 'gateway time-out', 'internal server error', 'unprocessable entity', 'unprocessable content'];
const x12Code = /\b(ak[3-9]|ik[3-5])\*([a-z])\b/gi;

const stopwords = new Set(
  'a an the of to in on at for from by with and or is are was were be been has have had it its this that as not no but if then than into via per our your their we you they i s t'.split(' '),
);
// "no" and "not" carry meaning in "no acknowledgement" / "not found"; keep them as tokens.
stopwords.delete('no');
stopwords.delete('not');

/** The features of one exception. Deterministic and allocation-light: it runs on every line of a CLI stream. */
export function normalise(input: Pick<ExceptionInput, 'error' | 'source' | 'operation' | 'http_status'>): Features {
  const signals = new Set<string>();
  const addStatus = (code: string) => {
    signals.add(`http_${code}`);
    signals.add(`http_${code[0]}xx`);
  };
  if (input.http_status !== undefined) addStatus(String(input.http_status));
  const raw = input.error;
  for (const m of raw.matchAll(statusAfterWord)) addStatus(m[1]);
  for (const m of raw.matchAll(statusBeforePhrase)) addStatus(m[1]);
  // Phrases only HTTP uses stand for their status even without the number.
  const lower = raw.toLowerCase();
  for (const phrase of unambiguousPhrases) if (lower.includes(phrase)) addStatus(statusWords[phrase]);
  for (const m of raw.matchAll(x12Code)) signals.add(`${m[1]}_${m[2]}`.toLowerCase());
  if (/\b99[79]\b/.test(raw)) signals.add('x12_997');

  const text = placeholders(raw);
  const words = wordsOf(text);
  const tokens = [...words];
  // A word's first five letters join its variants (acknowledgement, unacknowledged keeps "unack";
  // throttled/throttling, duplicate/duplicated) that the stemmer leaves apart.
  for (const word of words) if (word.length > 6 && !/[\d_]/.test(word)) tokens.push(`${word.slice(0, 5)}~`);
  for (let i = 0; i + 1 < words.length; i++) tokens.push(`${words[i]}__${words[i + 1]}`);
  tokens.push(...signals);
  tokens.push(`src_${input.source.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`);
  for (const word of wordsOf(placeholders(input.operation))) tokens.push(`op_${word}`);
  const ruleText = raw.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().replace(/\s+/g, ' ');
  return { text: `${ruleText} ${[...signals].join(' ')}`, tokens, signals: [...signals] };
}

/** Lower-cased text with volatile values replaced by placeholder words. */
export function placeholders(text: string): string {
  return (
    text
      // CamelCase exception names carry words: AccessDenied -> access denied.
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toLowerCase()
      .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, ' uuid ')
      // A scheme and an address's local part are short (64 at most here): unbounded, each try from
      // every position of a long run like a.b.c… scanned to its end, seconds for a 50 KB message.
      .replace(/\b[a-z][a-z0-9+.-]{0,63}:\/\/\S+/g, ' url ')
      .replace(/\b[\w.%+-]{1,64}@[\w.-]+\.[a-z]{2,}\b/g, ' email ')
      .replace(/(?:^|[\s'"(=])(?:[a-z]:)?(?:[/\\][\w.-]+){2,}[/\\]?/g, ' path ')
      // Odoo record references: stock.picking(88,) -> stock.picking record
      .replace(/\(\s*\d+\s*,?\s*\)/g, ' record ')
      // Odoo-style names (WH/OUT/00012, S00042) and other codes mixing letters and digits.
      .replace(/\b[a-z]{1,5}\/[a-z]{2,5}\/\d+\b/g, ' ref ')
      .replace(/\b(?=[a-z0-9_]*\d)(?=[a-z0-9_]*[a-z])[a-z0-9][a-z0-9_]{5,}\b/g, ' ref ')
      .replace(/\b\d+(?:[.,:]\d+)*\b/g, ' num ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

function wordsOf(text: string): string[] {
  const out: string[] = [];
  for (const word of text.split(/[^a-z0-9_]+/)) {
    if (word.length < 2 && word !== 'r') continue;
    if (stopwords.has(word)) continue;
    out.push(stem(word));
  }
  return out;
}

const suffixes: [string, string][] = [
  ['ations', ''], ['ation', ''], ['ings', ''], ['ing', ''], ['edly', ''], ['ied', 'y'], ['ies', 'y'], ['ed', ''], ['es', ''], ['s', ''], ['ly', ''], ['e', ''],
];

/** A small suffix stripper: throttled, throttling and throttles all become `throttl`. */
export function stem(word: string): string {
  if (word.length <= 4 || /[\d_]/.test(word) || /(?:ss|us|is)$/.test(word)) return word;
  for (const [suffix, replacement] of suffixes) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 4) return word.slice(0, -suffix.length) + replacement;
  }
  return word;
}
