export { ExceptionStore, ExceptionSource, IncidentStatus, type ExceptionReport } from './exception-store';
export { IncidentQueue, IncidentFilters, StoredClassification, TriageError, type Incident, type ExceptionMember } from './incident-queue';
export { startExceptionIntake, type ExceptionIntake } from './intake';
export { groupKeyOf, signatureOf } from './fingerprint';
export { withSlaImpact } from './impact';
