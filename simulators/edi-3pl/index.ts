export { startEdi3plSimulator, Edi3plFaults } from './server';
export type { Edi3plSimulatorOptions, RunningEdi3plSimulator } from './server';
