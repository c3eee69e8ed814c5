/**
 * Removes secrets and personal data from text before it leaves the process (the LLM prompt).
 * Each rule replaces what it finds with a bracketed placeholder that says what was there, so
 * the model still sees that, say, an email address was refused, without seeing the address.
 * Order matters: whole tokens (JWTs, URL credentials) go before the looser patterns that could
 * otherwise cut them in half.
 */

const secretKeys =
  'password|passwd|pwd|secret|client_secret|token|access_token|refresh_token|id_token|api[_-]?key|apikey|x-api-key|authorization|session(?:_?id)?|cookie|signature|private[_-]?key|credentials?';
// "token: expired" says why a call failed and holds no secret: keep the words that only describe one.
const statusWords = /^["']?(?:expired|invalid|missing|required|revoked|rejected|null|undefined|none|empty|true|false|\[[\w-]+\])["']?$/i;
const personalKeys = 'phone|telephone|tel|mobile|fax|email|e-mail|street|street2|address|address_line_?\\d|addr|contact|contact_name|recipient|attn|attention|ship_to_name|customer_name';

interface Rule {
  pattern: RegExp;
  replace: string | ((match: string, ...groups: string[]) => string);
}

const rules: Rule[] = [
  // JSON Web Tokens: three base64url parts, the first always starting with {" (eyJ).
  { pattern: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, replace: '[jwt]' },
  // Authorization header values.
  { pattern: /\b(Bearer|Basic|Token|Digest)\s+[A-Za-z0-9._~+/=-]{6,}/gi, replace: (_m, scheme: string) => `${scheme} [secret]` },
  // user:password@ in any URL (sftp://, https://, postgres://, smtp://).
  { pattern: /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+:[^\s/@]+@/gi, replace: (_m, scheme: string) => `${scheme}[credentials]@` },
  // key=value, key: value, "key": "value" and ?key=value for secret-looking keys.
  {
    pattern: new RegExp(`(["']?\\b(?:${secretKeys})["']?\\s*[:=]\\s*)(?:"[^"]*"|'[^']*'|[^\\s&,;"'}\\])]+)`, 'gi'),
    replace: (m, key: string) => (statusWords.test(m.slice(key.length)) ? m : `${key}[secret]`),
  },
  // The same for personal fields: a value that is a person, an address or a phone number.
  {
    pattern: new RegExp(`(["']?\\b(?:${personalKeys})["']?\\s*[:=]\\s*)(?:"[^"]*"|'[^']*'|\\+?[\\d(][\\d\\s()./-]{5,}\\d|[^\\s&,;"'}\\])]+)`, 'gi'),
    replace: (_m, key: string) => `${key}[personal]`,
  },
  // Keys whose shape gives them away even without a label.
  { pattern: /\b(?:sk|pk|rk)[-_](?:live[-_]|test[-_]|proj[-_])?[A-Za-z0-9_-]{16,}/g, replace: '[api-key]' },
  { pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{30,})\b/g, replace: '[api-key]' },
  { pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, replace: '[private-key]' },
  { pattern: /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g, replace: '[email]' },
  // Card numbers (13-19 digits, spaces or dashes allowed) that pass the Luhn check.
  { pattern: /\b\d(?:[ -]?\d){12,18}\b/g, replace: (m) => (luhn(m.replace(/\D/g, '')) ? '[card]' : m) },
  { pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g, replace: (m) => (ibanValid(m.replace(/ /g, '')) ? '[iban]' : m) },
  // Phone numbers: international (+44 20 7946 0958), North American ((555) 123-4567, 555-123-4567)
  // and national trunk-prefixed (020 7946 0958, 030/1234567). Dates and times never match: they
  // have no leading + or 0-trunk group followed by two more groups of 3+ digits.
  { pattern: /(?<![\w+])\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}(?!\w)/g, replace: (m) => (digits(m) >= 8 ? '[phone]' : m) },
  { pattern: /(?<![\w-])\(\d{3}\)\s?\d{3}[ .-]\d{4}(?!\w)/g, replace: '[phone]' },
  { pattern: /(?<![\w.-])\d{3}[.-]\d{3}[.-]\d{4}(?![\w.-]*\d)/g, replace: '[phone]' },
  { pattern: /(?<![\w.-])0\d{1,4}[ /]\d{3,4}[ -]?\d{3,4}(?![\w.-]*\d)/g, replace: '[phone]' },
  // Street addresses: "221B Baker Street", "1600 Amphitheatre Pkwy", "Hauptstraße 12a".
  {
    pattern:
      /\b\d{1,5}[A-Za-z]?\s+(?:[A-Z][\w'-]*\.?\s+){0,4}(?:Street|St|Road|Rd|Avenue|Ave|Boulevard|Blvd|Lane|Ln|Drive|Dr|Way|Court|Ct|Place|Pl|Terrace|Parkway|Pkwy|Highway|Hwy|Square|Sq)\b\.?(?:,?\s*(?:Apt|Suite|Unit|Ste)\.?\s*#?\w+)?/g,
    replace: '[address]',
  },
  { pattern: /\b[A-ZÄÖÜ][a-zäöüß-]*(?:straße|strasse|str\.|weg|gasse|platz|allee|damm)\s+\d{1,4}[a-z]?\b/g, replace: '[address]' },
  // Long random-looking strings (mixed case and digits, 32+ characters) are keys in all but name.
  { pattern: /(?<![\w/.-])(?=[A-Za-z0-9_+/=-]{32,})(?=[^\s]*[a-z])(?=[^\s]*[A-Z])(?=[^\s]*\d)[A-Za-z0-9_+/=-]{32,}(?![\w/.-])/g, replace: '[secret]' },
];

/** Secrets and personal data replaced by placeholders such as `[email]`, `[secret]`, `[phone]`. */
export function redact(text: string): string {
  let out = text;
  for (const rule of rules) out = out.replace(rule.pattern, rule.replace as (substring: string, ...args: string[]) => string);
  return out;
}

const digits = (s: string) => s.replace(/\D/g, '').length;

function luhn(number: string): boolean {
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let d = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  // An all-zero run (an X12 control number padded with zeros) passes Luhn but is no card.
  return sum % 10 === 0 && /[1-9]/.test(number) && !/^0/.test(number);
}

function ibanValid(iban: string): boolean {
  if (iban.length < 15 || iban.length > 34) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const value = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
    for (const d of value) remainder = (remainder * 10 + Number(d)) % 97;
  }
  return remainder === 1;
}
