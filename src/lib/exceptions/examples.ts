import type { ExampleSource, LabelledExample } from '../ai';
import type { ExceptionCategory } from '../integration/taxonomy';
import type { Incident, ExceptionMember, IncidentQueue } from './incident-queue';

/** An incident a person confirmed, as a classifier example (its first occurrence's wording). */
export function exampleOf(incident: Incident, sample: ExceptionMember | undefined): LabelledExample | undefined {
  if (!incident.confirmed) return undefined;
  return {
    input: {
      id: `incident-${incident.id}`,
      source: sample?.source ?? 'unknown',
      operation: incident.operation,
      error: sample?.error ?? incident.sampleError,
      ...(sample?.httpStatus ? { http_status: sample.httpStatus } : {}),
      ...(sample ? { attempts: sample.attempts } : {}),
    },
    category: incident.confirmed.category,
    action: incident.confirmed.action,
  };
}

/** Recent human-confirmed classifications, preferring the same reported category, for the LLM's prompt. */
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
export function allConfirmed(queue: IncidentQueue, limit = 2_000, category?: ExceptionCategory): LabelledExample[] {
  return queue
    .confirmedExamples(limit, category)
    .reverse()
    .map(({ incident, sample }) => exampleOf(incident, sample))
    .filter((e): e is LabelledExample => e !== undefined);
}
