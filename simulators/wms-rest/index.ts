export { startWmsRestSimulator, WmsRestFaults } from './server';
export type { RunningSimulator, WmsRestSimulatorOptions } from './server';
