/** One name a mail template may use, documented for the people who edit templates. */
export interface TemplateVariable {
  name: string;
  description: string;
  /** A list: its fields are used inside `{{#name}}…{{/name}}`, once per item. */
  list?: true;
  /** Fields of an object (`{{links.group}}`) or of each item of a list. */
  fields?: readonly TemplateVariable[];
}

/**
 * Every variable alert-email templates can use, as the console shows them. `variablesOf` builds
 * exactly these (a test holds the two together), and a template using any other name is refused.
 */
export const templateVariables: readonly TemplateVariable[] = [
  { name: 'kind', description: 'firing, repeat, escalation or resolved' },
  { name: 'status', description: 'the same in capitals for people: FIRING, REPEAT, ESCALATED or RESOLVED' },
  { name: 'severity', description: 'CRITICAL, WARNING or INFO' },
  { name: 'where', description: 'where it happens: a partner ("wms-rest"), a process, or the rule\'s name' },
  { name: 'summary', description: 'the first alert\'s sentence with its numbers ("37 orders stuck at wms-rest …")' },
  { name: 'count', description: 'how many alerts the notice is about' },
  { name: 'several', description: 'true when that is more than one, for {{#several}}…{{/several}}' },
  { name: 'rules', description: 'the names of the alerts\' rules, comma-separated' },
  { name: 'since', description: 'when the earliest alert started firing (ISO 8601, UTC)' },
  { name: 'duration', description: 'how long it has been firing in words ("12 min"); for resolved, how long it lasted' },
  { name: 'at', description: 'when this notice was made (ISO 8601, UTC)' },
  { name: 'recipient', description: 'the name of the person the email is to' },
  { name: 'escalatedFrom', description: 'for an escalation, who did not acknowledge in time (empty otherwise)' },
  {
    name: 'alerts',
    description: 'the alerts, for {{#alerts}}…{{/alerts}}',
    list: true,
    fields: [
      { name: 'rule', description: 'the rule\'s name' },
      { name: 'summary', description: 'its sentence with the numbers' },
      { name: 'severity', description: 'CRITICAL, WARNING or INFO' },
      { name: 'value', description: 'the measured value (a count, a percentage, minutes)' },
      { name: 'since', description: 'when it started firing (ISO 8601, UTC)' },
      { name: 'duration', description: 'for how long, in words' },
      { name: 'runbook', description: 'the runbook URL, empty when the rule has none' },
    ],
  },
  {
    name: 'transactions',
    description: 'the oldest affected transactions, at most 10, for {{#transactions}}…{{/transactions}}',
    list: true,
    fields: [
      { name: 'correlationId', description: 'the transaction\'s correlation id' },
      { name: 'process', description: 'its business process' },
      { name: 'state', description: 'its state' },
      { name: 'step', description: 'the step it is at' },
      { name: 'warehouse', description: 'its warehouse' },
      { name: 'age', description: 'how old it is, in words' },
      { name: 'link', description: 'its page in the console' },
    ],
  },
  { name: 'transactionCount', description: 'how many transactions are affected in all' },
  {
    name: 'links',
    description: 'links into the console',
    fields: [
      { name: 'group', description: 'the alert group\'s page' },
      { name: 'acknowledge', description: 'acknowledges the group (empty when there is nothing to acknowledge)' },
      { name: 'console', description: 'the console\'s address' },
    ],
  },
];
