import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Order, eventTypes } from '../../canonical';
import { MasterDataError, ValidationError } from '../../errors';
import { anAddress, anOrder } from '../../../../../test/factories/canonical';
import { MappingTables, WarehouseMapping } from '../warehouse-mapping';
import { Columns, fromWmsDate, readCsv, writeCsv } from './csv-files';
import mappingJson from './fixtures/mapping.json';
import { inventoryEvents, shipmentEvents, toOrderRows } from './mapping';
import { InventoryRow, rowsOf, ShipmentRow } from './rows';

const tables = new MappingTables(WarehouseMapping.parse(mappingJson));
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

describe('wms-batch mapping', () => {
  it('writes order rows with the WMS item codes, whole cases and its date format', () => {
    const rows = toOrderRows(Order.parse(anOrder({ shipTo: anAddress({ company: 'Müller GmbH' }) })), tables, 'A');
    expect(rows.map((r) => [r.ITEM_CODE, r.QTY, r.UOM])).toEqual([
      ['NWH-100100', '2', 'CA'],
      ['0004711', '2', 'CA'],
    ]);
    expect(rows[0]).toMatchObject({ ORDER_NO: 'S00042', SHIP_NAME: 'Müller GmbH / Dana Whitfield', CARRIER: 'UPS', SERVICE: '2DA', ORDER_DATE: '11/27/2026' });
    // ISO-8859-1 on the wire: ü is one byte, and it reads back intact.
    const file = writeCsv(Columns.order, rows);
    expect(file.includes(Buffer.from([0xfc]))).toBe(true);
    const back = readCsv(file, Columns.order, 'ORD.csv');
    expect(back.complete && back.rows[0].SHIP_NAME).toBe('Müller GmbH / Dana Whitfield');
  });

  it('reads a shipment confirmation: cases back to units, cartons to packages, short lines', () => {
    const parsed = readCsv(fixture('SHP_20261127153100_000042.csv'), Columns.shipment, 'SHP_1.csv');
    if (!parsed.complete) throw new Error('fixture is complete');
    const events = shipmentEvents(rowsOf(ShipmentRow, parsed.rows, 'SHP_1.csv'), tables, 'SHP_1.csv');
    expect(events.map((e) => [e.type, e.correlationId])).toEqual([
      [eventTypes.shipmentShipped, 'S00042'],
      [eventTypes.orderShortShipped, 'S00042'],
      [eventTypes.orderShortShipped, 'S00043'],
    ]);
    expect(events[0].data).toMatchObject({
      shipmentId: 'SHW5012',
      shippedAt: '2026-11-27T15:30:00Z',
      packages: [{ packageId: 'CTN50121', trackingNumber: '1Z4E2F0A1B2C3D4E5F', weightKg: '11.20' }],
      lines: [
        { lineId: '1', sku: 'HX-1001', quantity: '24', uom: 'Units' },
        { lineId: '2', sku: 'HX-2040', quantity: '12', uom: 'Units' },
      ],
    });
    expect(events[1].data).toMatchObject({ lines: [{ lineId: '2', sku: 'HX-2040', ordered: '36', shipped: '12' }] });
    // Nothing of S00043 left: a short shipment with no shipment id, and no shipped event.
    expect(events[2].data).toMatchObject({ shipmentId: undefined, lines: [{ ordered: '12', shipped: '0' }] });
  });

  it('reads a full snapshot, keeping negative stock', () => {
    const parsed = readCsv(fixture('INV_20261127060000_000001.csv'), Columns.inventory, 'INV.csv');
    if (!parsed.complete) throw new Error('fixture is complete');
    const positions = inventoryEvents(rowsOf(InventoryRow, parsed.rows, 'INV.csv'), tables, 'INV.csv').map((e) => e.data);
    expect(positions).toEqual([
      expect.objectContaining({ sku: 'HX-1001', onHand: '480', reserved: '24', available: '456', uom: 'Units', location: 'R1-01-A', asOf: '2026-11-27T06:00:00Z' }),
      expect.objectContaining({ sku: 'HX-2040', onHand: '-12', available: '-12' }),
    ]);
  });

  it('names rows it cannot trust', () => {
    const text = (s: string) => Buffer.from(s.replace(/\n/g, '\r\n'), 'latin1');
    const header = Columns.inventory.join(';');
    expect(readCsv(text(`${header}\nNWH-100100;R1;4;0;CA;11/27/2026\n`), Columns.inventory, 'INV.csv')).toEqual({ complete: false });
    expect(() => readCsv(text(`${header}\nNWH-100100;R1;4;0;CA;11/27/2026\nTRL;2\n`), Columns.inventory, 'INV.csv')).toThrow(/trailer counts 2 rows but the file has 1/);
    const wrongUnit = readCsv(text(`${header}\nNWH-100100;R1;4;0;EA;11/27/2026\nTRL;1\n`), Columns.inventory, 'INV.csv');
    if (!wrongUnit.complete) throw new Error('complete');
    expect(() => inventoryEvents(rowsOf(InventoryRow, wrongUnit.rows, 'INV.csv'), tables, 'INV.csv')).toThrow(MasterDataError);
    const badQty = readCsv(text(`${header}\nNWH-100100;R1;four;0;CA;11/27/2026\nTRL;1\n`), Columns.inventory, 'INV.csv');
    if (!badQty.complete) throw new Error('complete');
    expect(() => rowsOf(InventoryRow, badQty.rows, 'INV.csv')).toThrow(ValidationError);
    expect(() => rowsOf(InventoryRow, badQty.rows, 'INV.csv')).toThrow('INV.csv row 2 is invalid: QTY_ON_HAND: must be a number');
    expect(() => fromWmsDate('2026-11-27', 'X.csv')).toThrow(/not a MM\/DD\/YYYY date/);
  });
});
