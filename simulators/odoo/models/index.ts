import type { ModelDef } from '../orm/types';
import { backorderWizardModel } from './backorder-wizard';
import { masterDataModels } from './master-data';
import { returnModels } from './return-wizard';
import { saleModels } from './sale-order';
import { stockModels } from './stock-picking';
import { quantModel } from './stock-quant';

/** Every model the simulator serves, with the field names of the imitated Odoo version. */
export function buildModels(version: number): Map<string, ModelDef> {
  const all = [...masterDataModels(version), ...saleModels(version), ...stockModels(version), quantModel(), ...returnModels(version), backorderWizardModel()];
  // Field and method names come from the wire: looking up `constructor` or `__proto__` must find
  // nothing, not Object.prototype's.
  for (const model of all) {
    Object.setPrototypeOf(model.fields, null);
    if (model.methods) Object.setPrototypeOf(model.methods, null);
  }
  return new Map(all.map((model) => [model.name, model]));
}
