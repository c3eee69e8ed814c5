import { z } from 'zod';

/** Fault knobs set through `POST /_sim/faults`; every field optional, unset ones keep their value. */
export const FaultSettings = z
  .object({
    /** Added before every protocol request is answered. */
    latencyMs: z.number().int().min(0).max(60_000),
    /** Fraction (0–1) of protocol requests answered `503 Service Unavailable` by the proxy. */
    errorRate: z.number().min(0).max(1),
    /** Every protocol request answered `502 Bad Gateway`, as a proxy does while Odoo restarts. */
    maintenance: z.boolean(),
    /** Extra time `button_validate` takes (a big picking, a slow carrier label). */
    slowValidateMs: z.number().int().min(0).max(120_000),
  })
  .partial()
  .strict();
export type FaultSettings = z.infer<typeof FaultSettings>;

/** The faults now in force. */
export class Faults {
  latencyMs = 0;
  errorRate = 0;
  maintenance = false;
  slowValidateMs = 0;

  apply(settings: FaultSettings): void {
    Object.assign(this, Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)));
  }

  reset(): void {
    this.apply({ latencyMs: 0, errorRate: 0, maintenance: false, slowValidateMs: 0 });
  }

  snapshot() {
    return { latencyMs: this.latencyMs, errorRate: this.errorRate, maintenance: this.maintenance, slowValidateMs: this.slowValidateMs };
  }
}
