import { existing } from '../orm/records';
import type { Env, ModelDef } from '../orm/types';
import { buttonValidate } from './picking-validation';

/**
 * `stock.backorder.confirmation`, the wizard `button_validate` returns when quantities are short:
 * created from the action's context (`default_pick_ids`, `button_validate_picking_ids`), then
 * `process` (validate and keep a backorder) or `process_cancel_backorder` (validate and cancel the
 * rest). Both re-run `button_validate` with the context that answers the question.
 */
export function backorderWizardModel(): ModelDef {
  const wizard: ModelDef = {
    name: 'stock.backorder.confirmation',
    description: 'Backorder Confirmation',
    order: 'id',
    fields: {
      pick_ids: { type: 'many2many', string: 'Pick', relation: 'stock.picking' },
      show_transfers: { type: 'boolean', string: 'Show Transfers' },
    },
    methods: {
      process: { api: 'record', params: [], run: (env, ids) => validate(env, wizard, ids, false) },
      process_cancel_backorder: { api: 'record', params: [], run: (env, ids) => validate(env, wizard, ids, true) },
    },
  };
  return wizard;
}

function validate(env: Env, wizard: ModelDef, ids: number[], cancelRest: boolean): unknown {
  const [row] = existing(env, wizard, ids.slice(0, 1), 'read');
  const toValidate = ((env.context.button_validate_picking_ids as number[]) ?? []).map(Number);
  if (toValidate.length === 0) return true;
  const pickIds = (row.pick_ids as number[]) ?? [];
  env.context = { ...env.context, skip_backorder: true, ...(cancelRest ? { picking_ids_not_to_backorder: pickIds } : {}) };
  return buttonValidate(env, existing(env, env.models.get('stock.picking')!, toValidate, 'write'));
}
