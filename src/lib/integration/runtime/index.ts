export { startRuntime } from './runtime';
export type { Runtime, RuntimeOptions } from './runtime';
export { startIntegration } from './integration';
export type { Integration, IntegrationOptions } from './integration';
export { openConnectors } from './connectors';
export type { Connectors } from './connectors';
