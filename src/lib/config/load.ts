import type { z } from 'zod';
import { ClickHouseEnv, ConsoleEnv, LlmEnv, OdooEnv, PathsEnv, ProcessesEnv, RuntimeEnv, SmtpEnv, TelemetryEnv, WarehousesEnv } from './areas';

/** Environment variables as a process sees them. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** One problem with one variable. */
export interface ConfigProblem {
  variable: string;
  reason: string;
}

/** Thrown at start-up when the environment is invalid; names every variable at fault. */
export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.reason}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

const areas = {
  paths: PathsEnv,
  clickhouse: ClickHouseEnv,
  console: ConsoleEnv,
  runtime: RuntimeEnv,
  smtp: SmtpEnv,
  llm: LlmEnv,
  telemetry: TelemetryEnv,
  processes: ProcessesEnv,
  odoo: OdooEnv,
  warehouses: WarehousesEnv,
} as const;

export type Config = { [K in keyof typeof areas]: z.output<(typeof areas)[K]> };

/**
 * Where a runtime or simulator process sends its spans: OTEL_EXPORTER_OTLP_ENDPOINT when set,
 * otherwise the collector of the console on this machine (CROSSDOCK_COLLECTOR_PORT).
 */
export function collectorEndpoint(config: Config): string {
  const host = config.console.host === '0.0.0.0' ? '127.0.0.1' : config.console.host;
  return config.telemetry.exportEndpoint ?? `http://${host}:${config.console.collectorPort}`;
}

/**
 * Parses every area of configuration from the environment, once, at start-up. Collects all
 * problems before failing so an operator fixes them in one go.
 *
 * @example
 * const config = loadConfig(process.env); // in a composition root, never inside src/lib
 */
export function loadConfig(env: Environment): Config {
  const problems: ConfigProblem[] = [];
  const config: Partial<Record<keyof typeof areas, unknown>> = {};
  for (const [name, schema] of Object.entries(areas) as [keyof typeof areas, z.ZodType][]) {
    const result = schema.safeParse(env);
    if (result.success) config[name] = result.data;
    else
      for (const issue of result.error.issues)
        problems.push({ variable: String(issue.path[0] ?? name), reason: issue.message });
  }
  if (problems.length > 0) throw new ConfigError(dedupe(problems));
  return config as Config;
}

// CROSSDOCK_HOST belongs to two areas; report each problem once.
function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.variable}\u0000${p.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
