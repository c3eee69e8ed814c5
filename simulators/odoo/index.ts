/** The Odoo simulator: a server that answers like Odoo 17 (or 18/19) over Odoo's external APIs. */
export { startOdooSimulator } from './server';
export type { OdooSimulator, OdooSimulatorOptions } from './server';
export type { GeneratorOptions } from './generator';
export { OdooInstance } from './instance';
