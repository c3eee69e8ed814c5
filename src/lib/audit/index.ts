export { appendAudit, verifyAudit, listAudit, AuditAction, AuditFilter, type AuditEntry, type AuditDetail, type AuditVerdict } from './audit-log';
export { auditCsv } from './audit-csv';
