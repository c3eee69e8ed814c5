import type { ExceptionCategory } from '../integration/taxonomy';
import type { Features } from './normalise';

/**
 * Strong signals from the exception taxonomy: wordings and codes that, where they appear,
 * almost always mean one category. Each carries a weight in log-odds units that the offline
 * engine adds to its learned model's score; `label` is what the rationale tells the operator.
 * These are general phrasings of each failure (how HTTP, Odoo, ssh2, X12 and the runtime word
 * them), not copies of particular messages.
 */
export interface SignalRule {
  label: string;
  category: ExceptionCategory;
  weight: number;
  pattern: RegExp;
}

const rule = (category: ExceptionCategory, label: string, weight: number, pattern: RegExp): SignalRule => ({ category, label, weight, pattern });

// A pattern that starts with a repeat (`\d+ segments`) starts only where that repeat's run starts
// (`(?<!\d)`): tried from every digit of a long number, it scanned the rest each time (seconds on a
// 50 KB line of digits), and a later start in the run can match only when the first one does.
export const signalRules: readonly SignalRule[] = [
  rule('rate_limited', 'HTTP 429', 4, /\bhttp_429\b/),
  rule('rate_limited', 'rate-limit wording', 3.5, /too many requests|rate[ -]?limit|throttl|quota (?:exceeded|exhausted|reached)|slow down|requests? per (?:second|minute|hour)|request limit|api limit|calls? (?:limit|allowance)|back ?off and retry|too quickly|(?:exceeded|reached) the (?:maximum )?(?:number of )?(?:api )?(?:calls|requests)|ratelimit|limit resets|requests? (?:allowance|budget)/),
  rule('rate_limited', 'Retry-After', 2.5, /retry-after|retry after:/),

  rule('auth_failure', 'HTTP 401/403', 3.5, /\bhttp_40[13]\b/),
  rule(
    'auth_failure',
    'credentials refused',
    3.5,
    /access ?denied|access error|unauthori[sz]ed|forbidden|invalid[_ ](?:api[_ ]?)?key|invalid[_ ](?:access[_ ])?token|invalid[_ ](?:grant|client)|(?:token|session|password|credentials?|certificate|api key) (?:has |have |is )?(?:expired|revoked|disabled|rejected|refused)|expired (?:token|session|password|credentials|certificate)|authenticat\w* (?:failed|required|error)|authentication methods failed|permission denied|not authori[sz]ed|wrong (?:login|password|username)|bad credentials|invalid (?:credentials|login|username|password)|login (?:failed|refused|rejected)|signature (?:verification )?(?:failed|mismatch|invalid)|refused the api key|not allowed to access|insufficient (?:scope|privileges|permissions)|session expired|jwt expired|signature (?:could not be verified|not found|missing|header)|no matching signature|authentication[ -]failure|authentication-failed|invalid bearer|bearer token|(?:key|token|credential)s? (?:provided )?(?:has been |was )?revoked|security restrictions/,
  ),

  rule('partner_unavailable', 'HTTP 5xx', 2.5, /\bhttp_5xx\b/),
  rule(
    'partner_unavailable',
    'connection failure',
    3.5,
    /econnrefused|econnreset|etimedout|ehostunreach|enetunreach|enotfound|eai_again|epipe|socket hang up|connection (?:refused|reset|closed|timed out|lost|aborted|dropped)|timed out|timeout|could not connect|unable to connect|connect failed|network (?:error|is unreachable)|unreachable|server closed the connection|tls handshake|dns/,
  ),
  rule('partner_unavailable', 'partner down or overloaded', 3, /service unavailable|bad gateway|gateway time|temporarily unavailable|maintenance|overloaded|upstream|try again later|too many connections|circuit (?:breaker )?(?:is )?open|breaker (?:is )?open/),
  rule('partner_unavailable', 'transient database conflict', 3, /serializ(?:ation|e) (?:failure|access)|could not serialize|deadlock|lock (?:timeout|wait|not available)|concurrent update|operational ?error/),
  rule('partner_unavailable', 'retries exhausted', 1.5, /retry budget|retries exhausted|gave up after \d+ attempts/),

  rule(
    'master_data_mismatch',
    'unknown reference data',
    3.5,
    /unknown (?:product|sku|item|location|warehouse|uom|unit|customer|partner|carrier|depositor|site|article|material|bin|ship-?to|ean|gtin|barcode)|(?:product|sku|item|location|warehouse|uom|carrier|bin|article|ean|gtin|barcode)(?: code| number| id| ref\w*)?[^.;]{0,20}(?:not found|does not exist|doesn't exist|not on file|not mapped|not configured|not set up|not recogni[sz]ed|is unknown)|no (?:product|sku|item|warehouse|location|cross-reference|mapping|conversion|such (?:product|item|sku|location))|not in the (?:item|product) master|item master|unmapped|not in the topology|no internal reference|has no sku|(?:item|sku|product|article)_not_found|(?:has )?no mapping for|not mapped|unknown to (?:the|this)|(?:code|reference|sku|item) [^.;]{0,30}is (?:unknown|not configured|not set up)|does not exist in (?:the )?(?:warehouse|item|product|location)|default_code|no (?:product|item|location)\.\w+ matching/,
  ),
  rule('master_data_mismatch', 'unit of measure', 3, /unit of measure|\buom\b|not convertible|cannot convert|different (?:unit )?categor|same category|units? (?:mismatch|differ)|uom categor/),
  rule('master_data_mismatch', 'missing record', 2.5, /record does not exist|has been deleted|missing error|does not exist or has been deleted/),

  rule(
    'duplicate_event',
    'already seen',
    3.5,
    /duplicate|already (?:been )?(?:processed|received|imported|exists?|recorded|used|seen|applied|consumed|posted|registered|ingested|booked)|idempotency[ _-]?key|same (?:event|message|shipment|payload|file|interchange|control number|delivery id)|unique constraint|violates unique|already in use|seen before|re-?delivered|delivered twice|sent twice|received twice|replay of an? (?:event|message) already|(?:already|previously) (?:handled|created|submitted|uploaded|stored|saved|known|delivered to us)|(?:received|sent|arrived|delivered|posted) (?:a second time|again|twice)|a second time|copy of (?:one|an? (?:event|message))|identical to (?:one|an? (?:file|message|event))|matches an? (?:earlier|previous|existing)|already posted|this is a resend|resubmission|the same (?:shipment|event|message|order|file) again/,
  ),

  rule(
    'sequence_error',
    'invalid state transition',
    3.5,
    /out[ -]of[ -]order|invalid (?:state )?transition|cannot (?:go|move|transition|change) from|not in (?:a|the) (?:\w+ )?state|invalid state|wrong state|unexpected state|in state (?:done|cancel)|already (?:done|shipped|cancell?ed|closed|validated|confirmed|completed|delivered|invoiced|packed|picked)|before (?:it (?:was|is) |being )?(?:release|released|pick|picked|confirm|confirmed|allocated|created|ship|shipped)|not (?:yet )?(?:released|confirmed|allocated)|no quantities are reserved|no open (?:delivery|picking|order)|(?:is|was|been) (?:cancell?ed|locked)|locked order|stale|older than|precedes|arrived after|no done (?:delivery|picking)|only return done|nothing to check the availability|requiring confirmation|precedes|illegal (?:state )?transition|status is (?:cancell?ed|closed|shipped|delivered|done)|has been set to ['"]?done|has not (?:been )?(?:delivered|shipped|released|picked)|not (?:yet )?(?:delivered|shipped)|is locked|unlock it|that was cancell?ed|cannot (?:ship|cancel|pick|modify|change) [^.;]{0,40}(?:status|state|cancell?ed|shipped|done)|may ship twice|but \S+ shipped it/,
  ),
  rule('sequence_error', 'HTTP 409 conflict', 1.5, /\bhttp_409\b/),

  rule(
    'inventory_mismatch',
    'stock disagreement',
    3.5,
    /reconcil|discrepanc|stock (?:difference|mismatch|variance|differs)|(?:on[ -]?hand|inventory|stock|quantity|qty) (?:\w+ )?(?:mismatch|differ\w*|disagree\w*|variance)|disagree|negative (?:stock|quantit|on[ -]?hand|inventory|available)|(?:insufficient|not enough) (?:stock|quantit|inventory|available)|short[- ]?(?:ship|pick)|shipped \S+ short|variance|cycle count|phantom stock|oversold|over-?shipped|qty \w+ \d+(?:\.\d+)? \w+ \d+|below zero|went negative|out of balance|\bdelta\b|more (?:products )?[^.;]{0,30}than (?:you have|available|in stock|on hand)|(?:odoo|wms|erp|warehouse|3pl)\b[^.;]{0,30}?\b\d+(?:\.\d+)?\b[^.;]{0,40}?\b(?:odoo|wms|erp|warehouse|3pl)\b[^.;]{0,30}?\b\d+|(?<!\d)\d+ (?:available|on hand)[^.;]{0,30}(?:while|but|vs|versus)|expects \d+|ships \d+(?:\.\d+)? of [^.;]{0,30}asks for \d+/,
  ),

  rule(
    'sla_breach',
    'deadline missed',
    4,
    /no (?:acknowledge?ment|ack|confirmation|response|reply|997|945|856|ship(?:ment)? confirm\w*|receipt|pick confirm\w*)\b.{0,60}\b(?:within|after|for|since|in the last)\b|not (?:been )?(?:acknowledged|confirmed|picked up|collected)(?: \w+)? (?:within|after|for|since)|overdue|past (?:its |the )?(?:deadline|due|sla)|\bsla\b|stuck|waiting (?:since|for) .{0,40}\b(?:hours?|minutes?|min|h|days?)\b|exceeded (?:the )?(?:\w+ )?(?:target|window|deadline)|late (?:confirmation|acknowledge?ment)|still (?:open|pending|waiting|unacknowledged)|missing 997|awaiting (?:acknowledge?ment|997|confirmation)|without (?:an? )?(?:acknowledge?ment|confirmation|997|response)|pending for|has not (?:been )?(?:acknowledged|confirmed)|waited \d+ ?(?:s|min|minutes|h|hours)|lagging|\bbehind\b|elapsed|has not (?:come|arrived|come in|been received)|not (?:yet )?(?:received|arrived) (?:after|within|for|since)|target \d+ ?(?:s|min|minutes|h|hours)|deadline|unacknowledged|\blate\b/,
  ),

  rule('validation_error', 'X12 997 rejection', 4, /\b(?:ak5_r|ik5_r|ak9_r|ak9_e|ak9_p|ik5_e|ak5_e|ak3_\w|ak4_\w|ik3_\w|ik4_\w)\b/),
  rule('validation_error', 'HTTP 400/422', 3, /\bhttp_4(?:00|22)\b/),
  rule(
    'validation_error',
    'schema violation',
    3,
    /schema|missing (?:required )?(?:field|property|segment|element|value|attribute|column|header|key)|required (?:field|property|segment|element)|is required|field required|invalid (?:json|xml|format|value|date|type|character|field|payload|request|segment|element|enum|number|quantity)|malformed|unexpected (?:token|end of|character|eof)|not (?:valid|well-formed) (?:json|x12|xml|utf)|is not valid x12|parse error|could not parse|failed to parse|cannot parse|syntax ?error|expected .{1,40}(?:received|got|but found)|invalid_type|too_small|too_big|invalid_enum|invalid_value|\bzod\b|unrecognized key|must be (?:a|an|one of|at least|at most|positive)|column count|wrong number of (?:columns|fields)|expected \d+ (?:columns|fields)|record count|trailer|segment count|not a (?:number|date|quantity|ccyymmdd)|is empty|cannot be empty|exceeds (?:the )?max\w* length|too long|value error|type error|key error|bad request|does not handle|no route (?:handles|for)|unsupported (?:topic|event|message|type|version|format)|encoding|not json|invalid (?:utf|byte)|not a valid (?:integer|number|date|string|value|email|enum)|value is not|unrecognized|wrong value|closing quote|quote|footer|(?:segment|record|line|row) count|(?<!\d)\d+ segments|counted|no handler for|type_error|value_error|invalid literal|cannot coerce/,
  ),
];

/** The rules that match these features, strongest first. */
export function fireSignals(features: Features): SignalRule[] {
  return signalRules.filter((r) => r.pattern.test(features.text)).sort((a, b) => b.weight - a.weight);
}
