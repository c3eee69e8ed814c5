/**
 * What differs between the Odoo versions the connector supports (`reference/odoo.md` §3.9),
 * kept in one place so the reads and writes name fields without asking which version this is.
 */
export interface OdooDialect {
  major: number;
  /** 16–18 speak `execute_kw` over `/jsonrpc`; 19 speaks JSON-2 (`/jsonrpc` is deprecated there). */
  protocol: 'json-rpc' | 'json-2';
  /** The sale order line's unit: `product_uom` (≤18), `product_uom_id` (19). */
  saleLineUom: string;
  /** The done quantity on a move: `quantity_done` (≤16), `quantity` with `picked` (17+). */
  moveDoneQuantity: 'quantity_done' | 'quantity';
  /** 17+ marks moves `picked`; 16 had no such field. */
  movePicked: boolean;
  /** Storable products: `type = product` (≤17), `is_storable` (18+). */
  storableDomain: unknown[];
  /** `uom.uom.category_id` exists until 18; 19 removed unit categories. */
  uomCategories: boolean;
  /** The return wizard's button: `create_returns` (≤17), `action_create_returns` (18+). */
  returnMethod: 'create_returns' | 'action_create_returns';
}

/** The dialect of an Odoo major version; versions before 16 are refused. */
export function dialectFor(major: number): OdooDialect {
  if (!Number.isInteger(major) || major < 16) throw new RangeError(`Odoo ${major} is not supported (16 or newer)`);
  return {
    major,
    protocol: major >= 19 ? 'json-2' : 'json-rpc',
    saleLineUom: major >= 19 ? 'product_uom_id' : 'product_uom',
    moveDoneQuantity: major <= 16 ? 'quantity_done' : 'quantity',
    movePicked: major >= 17,
    storableDomain: major >= 18 ? [['is_storable', '=', true]] : [['type', '=', 'product']],
    uomCategories: major <= 18,
    returnMethod: major >= 18 ? 'action_create_returns' : 'create_returns',
  };
}
