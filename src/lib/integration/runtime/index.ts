export { startRuntime } from './runtime';
export type { Runtime, RuntimeOptions } from './runtime';
