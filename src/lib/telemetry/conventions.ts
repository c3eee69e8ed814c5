/**
 * Crossdock's span attribute names (see docs/telemetry.md). Every runtime step is a span with
 * these, so the console can join spans of one business transaction across traces and judge SLAs.
 * Standard OpenTelemetry semantic-convention attributes are used alongside them.
 */
export const Attr = {
  /** The business key: Odoo order name, inventory batch id, RMA number. */
  correlationId: 'correlation.id',
  /** `order_fulfillment`, `inventory_sync`, `returns`, `reconciliation`. */
  processName: 'process.name',
  /** Set only on the span that marks a milestone; a value from `processes/milestones.ts`. */
  processMilestone: 'process.milestone',
  warehouseId: 'warehouse.id',
  /** `realtime`, `standard`, `batch`. */
  serviceClass: 'service.class',
  /** The taxonomy category of a recorded failure. */
  exceptionCategory: 'crossdock.exception.category',
  /** 1 for the first attempt. */
  attempt: 'crossdock.attempt',
  /** Milliseconds a message waited in its queue before this attempt started. */
  queueWaitMs: 'crossdock.queue.wait_ms',
  /** `success`, `retry`, `dead_letter`, `duplicate`. */
  outcome: 'crossdock.outcome',
  /** The partner endpoint a call went to (`odoo`, `wms-rest`, ...). */
  endpointId: 'crossdock.endpoint.id',
  /** The CloudEvents type of the message handled. */
  eventType: 'crossdock.event.type',
  idempotencyKey: 'crossdock.idempotency_key',
  /** The Odoo model and method an external-API call used (`sale.order`, `search_read`). */
  odooModel: 'odoo.model',
  odooMethod: 'odoo.method',
} as const;

/** Resource attribute naming the Crossdock component (`runtime`, `console`, `simulator`). */
export const ResourceAttr = { component: 'crossdock.component' } as const;
