import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { ValidationError } from '../errors';
import { EventEnvelope, type TypedEnvelope } from './envelope';
import type { ServiceClass } from './primitives';
import { parseOrThrow } from './validate';

interface Version {
  schema: z.ZodType;
  /** Turns data of the previous version into this version's shape. */
  upcast?: (previous: unknown) => unknown;
}

/** What a producer supplies to create an event; the catalog fills in the rest. */
export interface NewEvent<T> {
  data: T;
  source: string;
  correlationId: string;
  idempotencyKey: string;
  serviceClass: ServiceClass;
  causationId?: string;
  subject?: string;
  /** Defaults to now. */
  time?: Date;
  /** Defaults to a random UUID. */
  id?: string;
}

/**
 * The registry of versioned event types and the upcasters between their versions. A consumer
 * asks for the version it understands and receives older events upcast to it, so producers and
 * consumers can be upgraded one at a time.
 *
 * @example
 * catalog.define('crossdock.order.released', 1, OrderV1);
 * catalog.define('crossdock.order.released', 2, OrderV2, (v1) => ({ ...v1, channel: 'web' }));
 * catalog.read(envelope, 'crossdock.order.released', 2); // a v1 envelope arrives as v2
 */
export class EventCatalog {
  readonly #types = new Map<string, Version[]>();

  /**
   * Registers version `version` of event `name`. Versions are registered in order, and every
   * version after the first needs an upcaster from the one before, so no version can be orphaned.
   */
  define<S extends z.ZodType>(name: string, version: number, schema: S, upcast?: (previous: unknown) => z.input<S>) {
    const versions = this.#types.get(name) ?? [];
    if (version !== versions.length + 1)
      throw new Error(`${name}: define version ${versions.length + 1} next, not ${version}`);
    if (version > 1 && !upcast) throw new Error(`${name}.v${version} needs an upcaster from v${version - 1}`);
    versions.push({ schema, upcast });
    this.#types.set(name, versions);
    return this;
  }

  /** The latest version of an event type. */
  latest(name: string): number {
    return this.#versions(name).length;
  }

  /** Builds a validated envelope for the latest (or given) version of `name`. */
  create<T>(name: string, event: NewEvent<T>, version = this.latest(name)): TypedEnvelope<T> {
    const schema = this.#version(name, version).schema;
    const data = parseOrThrow(schema, event.data, `${name}.v${version} data`) as T;
    const envelope = EventEnvelope.parse({
      specversion: '1.0',
      id: event.id ?? randomUUID(),
      source: event.source,
      type: `${name}.v${version}`,
      time: (event.time ?? new Date()).toISOString(),
      subject: event.subject,
      datacontenttype: 'application/json',
      dataschema: schemaUri(name, version),
      correlationid: event.correlationId,
      causationid: event.causationId,
      idempotencykey: event.idempotencyKey,
      serviceclass: event.serviceClass,
      data,
    });
    return { ...envelope, data };
  }

  /**
   * Validates an incoming envelope and its data, upcasting step by step to `version` (the
   * latest by default). Throws a `ValidationError` naming the field at fault, or when the event
   * is of another type, unknown, or newer than this code understands.
   */
  read<T = unknown>(input: unknown, name: string, version = this.latest(name)): TypedEnvelope<T> {
    const envelope = parseOrThrow(EventEnvelope, input, 'event envelope');
    const { name: actual, version: from } = splitType(envelope.type);
    if (actual !== name)
      throw new ValidationError(`expected a ${name} event, got ${envelope.type}`, { type: envelope.type });
    const versions = this.#versions(name);
    if (from > versions.length)
      throw new ValidationError(`${envelope.type} is newer than this runtime understands (up to v${versions.length})`, {
        type: envelope.type,
      });
    if (from > version)
      throw new ValidationError(`cannot read ${envelope.type} as v${version}: events are only upcast, never downcast`, {
        type: envelope.type,
      });

    let data = parseOrThrow(versions[from - 1].schema, envelope.data, `${envelope.type} data`);
    for (let v = from + 1; v <= version; v++)
      data = parseOrThrow(versions[v - 1].schema, versions[v - 1].upcast!(data), `${name}.v${v} data (upcast from v${from})`);

    return { ...envelope, type: `${name}.v${version}`, dataschema: schemaUri(name, version), data: data as T };
  }

  #versions(name: string): Version[] {
    const versions = this.#types.get(name);
    if (!versions) throw new ValidationError(`unknown event type ${name}`, { type: name });
    return versions;
  }

  #version(name: string, version: number): Version {
    const found = this.#versions(name)[version - 1];
    if (!found) throw new ValidationError(`unknown event type ${name}.v${version}`, { type: `${name}.v${version}` });
    return found;
  }
}

/** `crossdock.order.released.v2` → `{ name: 'crossdock.order.released', version: 2 }`. */
export function splitType(type: string): { name: string; version: number } {
  const at = type.lastIndexOf('.v');
  return { name: type.slice(0, at), version: Number(type.slice(at + 2)) };
}

function schemaUri(name: string, version: number): string {
  return `urn:crossdock:schema:${name}.v${version}`;
}
