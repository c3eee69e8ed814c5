export { loadConfig, ConfigError, collectorEndpoint } from './load';
export type { Config, ConfigProblem, Environment } from './load';
export type {
  ClickHouseConfig,
  ConsoleConfig,
  LlmConfig,
  OdooConfig,
  PathsConfig,
  RuntimeConfig,
  SmtpConfig,
  TelemetryConfig,
  WarehousesConfig,
} from './areas';
