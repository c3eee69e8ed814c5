/** The traffic generator: distribution days with scheduled incidents, played against the simulators. */
export { startTraffic } from './traffic';
export type { RunningTraffic, TrafficOptions, TrafficStats } from './traffic';
export { demoDay, defineSchedule, type ScheduledIncident, type IncidentKind } from './schedule';
export { DemoClock, clockText } from './clock';
