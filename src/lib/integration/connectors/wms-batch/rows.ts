import { z } from 'zod';
import { parseOrThrow } from '../../canonical';

/** Zod schemas for each inbound row, so a bad value is refused with its column named. */
const text = z.string().min(1, 'must not be empty');
const qty = z.string().regex(/^\d+(\.\d+)?$/, 'must be a non-negative number');
const signedQty = z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a number');

export const AckRow = z.object({ FILE_NAME: text, ORDER_NO: text, RESULT: z.enum(['RCV', 'REJ']), REASON: z.string() });
export const StatusRow = z.object({ ORDER_NO: text, WMS_ORDER: text, STATUS: text, STATUS_DATE: text });
export const ShipmentRow = z.object({
  ORDER_NO: text,
  SHIPMENT_NO: text,
  LINE_NO: text,
  ITEM_CODE: text,
  QTY_ORDERED: qty,
  QTY_SHIPPED: qty,
  UOM: text,
  CARTON_ID: z.string(),
  TRACKING_NO: z.string(),
  CARRIER: text,
  SHIP_DATE: text,
  WEIGHT_KG: z.string(),
});
export const InventoryRow = z.object({ ITEM_CODE: text, LOCATION: z.string(), QTY_ON_HAND: signedQty, QTY_ALLOCATED: qty, UOM: text, SNAPSHOT_DATE: text });
export const ReturnRow = z.object({
  RMA_NO: text,
  ORDER_NO: text,
  ITEM_CODE: text,
  QTY: qty,
  UOM: text,
  CONDITION: z.enum(['A', 'B', 'Q']),
  REASON: text,
  RECEIVED_DATE: text,
});

export type AckRow = z.output<typeof AckRow>;
export type StatusRow = z.output<typeof StatusRow>;
export type ShipmentRow = z.output<typeof ShipmentRow>;
export type InventoryRow = z.output<typeof InventoryRow>;
export type ReturnRow = z.output<typeof ReturnRow>;

/** Validates every row of a file; the error names the file, row and column. */
export function rowsOf<S extends z.ZodType>(schema: S, rows: Record<string, string>[], fileName: string): z.output<S>[] {
  return rows.map((row, i) => parseOrThrow(schema, row, `${fileName} row ${i + 2}`));
}
