import type { ExceptionInput, ExampleSource, LabelledExample } from '../ai';
import type { Incident, ExceptionMember, IncidentQueue } from './incident-queue';

/** What the classifier reads of an incident: its first occurrence's wording. */
export function classifierInputOf(incident: Incident, sample: ExceptionMember | undefined): ExceptionInput {
  return {
    id: `incident-${incident.id}`,
    source: sample?.source ?? 'unknown',
    operation: incident.operation,
    error: sample?.error ?? incident.sampleError,
    ...(sample?.httpStatus ? { http_status: sample.httpStatus } : {}),
    ...(sample ? { attempts: sample.attempts } : {}),
  };
}

/** An incident a person confirmed, as a classifier example. */
export function exampleOf(incident: Incident, sample: ExceptionMember | undefined): LabelledExample | undefined {
  if (!incident.confirmed) return undefined;
  return { input: classifierInputOf(incident, sample), category: incident.confirmed.category, action: incident.confirmed.action };
}

/** The most recent human-confirmed classifications, for the LLM's prompt. */
export function confirmedExamples(queue: IncidentQueue): ExampleSource {
  return {
    recent(_input, limit) {
      return queue
        .confirmedExamples(limit)
        .map(({ incident, sample }) => exampleOf(incident, sample))
        .filter((e): e is LabelledExample => e !== undefined);
    },
  };
}

/** Every confirmed incident, oldest first, to teach a freshly started offline engine. */
export function allConfirmed(queue: IncidentQueue, limit = 2_000): LabelledExample[] {
  return queue
    .confirmedExamples(limit)
    .reverse()
    .map(({ incident, sample }) => exampleOf(incident, sample))
    .filter((e): e is LabelledExample => e !== undefined);
}
