export * from './alert';
export { AlertBook, AlertEventKind, AlertFilter, HistoryFilter, type AlertEvent } from './alert-book';
export { AlertGroups, GroupFilter, type AlertGroup } from './alert-groups';
export { startAlerting, type Alerting, type AlertingOptions } from './alerting';
export { verifyAckToken } from './ack-links';
export { AlertingError } from './errors';
export { AlertRule, Condition, Scope, describeCondition, type ConditionKind } from './rules/rule';
export { RuleStore, parseRule, type StoredRule } from './rules/rule-store';
export { SilenceBook, SilenceInput, Matchers, type Silence } from './silences';
