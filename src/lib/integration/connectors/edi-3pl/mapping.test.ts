import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Order, eventTypes } from '../../canonical';
import { ValidationError } from '../../errors';
import { anOrder } from '../../../../../test/factories/canonical';
import { MappingTables, WarehouseMapping } from '../warehouse-mapping';
import { from997, to997 } from './ack997';
import mappingJson from './fixtures/mapping.json';
import { from180, from846, from945, to940 } from './mapping';
import { parseX12, writeX12 } from './x12-document';

const tables = new MappingTables(WarehouseMapping.parse(mappingJson));
const setOf = (file: string) => parseX12(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'latin1'), file)[0].groups[0].sets[0];

describe('edi-3pl mapping', () => {
  it('writes a 940 that parses strictly, in each item’s 3PL unit', () => {
    const text = writeX12({ senderQualifier: 'ZZ', senderId: 'CROSSDOCK', receiverQualifier: 'ZZ', receiverId: 'EDI3PL', usage: 'T' }, { isa: 42, gs: 7 }, 'OW', [to940(Order.parse(anOrder()), tables, '0001')]);
    const [ic] = parseX12(text, '940');
    expect(ic).toMatchObject({ senderId: 'CROSSDOCK', receiverId: 'EDI3PL', control: '000000042' });
    expect(ic.groups[0]).toMatchObject({ functionalId: 'OW', control: '7' });
    const tags = ic.groups[0].sets[0].segments.map((s) => s.tag);
    expect(tags).toEqual(['W05', 'N1', 'N3', 'N4', 'G62', 'W66', 'LX', 'W01', 'N9', 'LX', 'W01', 'N9', 'W76']);
    expect(text).toContain('W01*24*EA**VN*10001001~');
    expect(text).toContain('W01*2*CA**VN*10002040~');
    expect(text).toContain('W66*PP*M***UPSN*****2DA~');
    expect(text).toMatch(/SE\*15\*0001~/);
  });

  it('reads a partial 945: tracking per carton, units from cases, the short line', () => {
    const events = from945(setOf('945-partial.x12'), tables, '945');
    expect(events.map((e) => e.type)).toEqual([eventTypes.shipmentShipped, eventTypes.orderShortShipped]);
    expect(events[0].data).toMatchObject({
      shipmentId: 'SHP-778812',
      carrier: 'UPSN',
      shippedAt: '2026-11-27T00:00:00Z',
      packages: [
        { trackingNumber: '1Z999AA10123456784', lines: [{ lineId: '1', sku: 'HX-1001', quantity: '24' }] },
        { trackingNumber: '1Z999AA10123456795', lines: [{ lineId: '2', sku: 'HX-2040', quantity: '12' }] },
      ],
    });
    expect(events[1].data).toMatchObject({ lines: [{ lineId: '2', sku: 'HX-2040', ordered: '36', shipped: '12', uom: 'Units' }] });
  });

  it('refuses a 945 whose W03 total disagrees with its lines', () => {
    const set = setOf('945-partial.x12');
    const w03 = set.segments.find((s) => s.tag === 'W03')!;
    w03.el[1] = '26';
    expect(() => from945(set, tables, '945')).toThrow(ValidationError);
    expect(() => from945(set, tables, '945')).toThrow(/W03-01 says 26 shipped but the W12 lines add up to 25/);
  });

  it('reads an 846 (17 on hand, 33 available) and a 180 return', () => {
    expect(from846(setOf('846-daily.x12'), tables, '846')).toEqual([
      expect.objectContaining({ sku: 'HX-1001', onHand: '480', available: '456', reserved: '24', asOf: '2026-11-27T06:00:00Z' }),
      expect.objectContaining({ sku: 'HX-2040', onHand: '360', available: '336', reserved: '24', uom: 'Units' }),
    ]);
    const ret = from180(setOf('180-return.x12'), tables, '180');
    expect(ret.data).toMatchObject({
      returnId: 'RMA-2026-0107',
      orderId: 'S00042',
      reason: 'damaged',
      lines: [
        { sku: 'HX-1001', quantity: '2', condition: 'damaged' },
        { sku: 'HX-2040', quantity: '12', condition: 'sellable' },
      ],
    });
  });

  it('writes and reads 997s, including a partial acceptance', () => {
    const group = { functionalId: 'SW', control: '4711', sets: [{ id: '945', control: '0001', segments: [] }, { id: '945', control: '0002', segments: [] }] };
    const ack = to997(group, new Set(['0002']), '0001');
    expect(from997(ack, '997')).toEqual({
      functionalId: 'SW',
      groupControl: '4711',
      groupStatus: 'P',
      sets: [
        { id: '945', control: '0001', status: 'A', errorCode: undefined },
        { id: '945', control: '0002', status: 'R', errorCode: '5' },
      ],
    });
  });
});
