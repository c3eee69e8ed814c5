/**
 * Valid canonical payloads as a partner would send them, for tests to start from and break one
 * field at a time.
 */
export const anAddress = (overrides: Record<string, unknown> = {}) => ({
  name: 'Dana Whitfield',
  company: 'Northwind Hardware',
  street1: '410 Commerce Park Dr',
  city: 'Columbus',
  region: 'OH',
  postalCode: '43219',
  country: 'US',
  phone: '+1 614 555 0134',
  email: 'receiving@northwind.example',
  ...overrides,
});

export const anOrder = (overrides: Record<string, unknown> = {}) => ({
  orderId: 'S00042',
  customerRef: 'PO-88213',
  shipTo: anAddress(),
  serviceLevel: 'expedited',
  commitmentDate: '2026-11-30T17:00:00Z',
  releasedAt: '2026-11-27T09:30:00Z',
  lines: [
    { lineId: '1', sku: 'HX-1001', quantity: 24, uom: 'Units' },
    { lineId: '2', sku: 'HX-2040', quantity: '2', uom: 'Case12' },
  ],
  ...overrides,
});

export const aShipment = (overrides: Record<string, unknown> = {}) => ({
  shipmentId: 'SHP-778812',
  orderId: 'S00042',
  warehouseId: 'wms-rest',
  carrier: 'UPS',
  carrierService: 'Ground',
  shippedAt: '2026-11-27T15:10:00-05:00',
  packages: [
    { packageId: 'PKG-1', trackingNumber: '1Z999AA10123456784', weightKg: '4.2', lines: [{ sku: 'HX-1001', quantity: 24, uom: 'Units' }] },
    { packageId: 'PKG-2', trackingNumber: '1Z999AA10123456795', lines: [{ sku: 'HX-2040', quantity: 2, uom: 'Case12' }] },
  ],
  lines: [
    { lineId: '1', sku: 'HX-1001', quantity: 24, uom: 'Units' },
    { lineId: '2', sku: 'HX-2040', quantity: 2, uom: 'Case12' },
  ],
  ...overrides,
});

export const anInventoryPosition = (overrides: Record<string, unknown> = {}) => ({
  sku: 'HX-1001',
  warehouseId: 'wms-batch',
  location: 'A-12-03',
  onHand: '140',
  reserved: '24',
  available: '116',
  uom: 'Units',
  asOf: '2026-11-27T06:00:00Z',
  source: 'wms-batch',
  ...overrides,
});

export const aReturn = (overrides: Record<string, unknown> = {}) => ({
  returnId: 'RMA-2026-0107',
  orderId: 'S00042',
  warehouseId: 'edi-3pl',
  receivedAt: '2026-12-03T11:00:00Z',
  reason: 'damaged',
  note: 'Carton crushed in transit',
  lines: [{ sku: 'HX-1001', quantity: 2, uom: 'Units', condition: 'damaged' }],
  ...overrides,
});

export const aProduct = (overrides: Record<string, unknown> = {}) => ({
  sku: 'HX-1001',
  name: 'Hex bolt M8 × 40, zinc',
  barcode: '04006381333931',
  uom: 'Units',
  weightKg: '0.021',
  externalIds: { odoo: '17', 'wms-batch': 'NWH-100100' },
  ...overrides,
});

export const aWarehouse = (overrides: Record<string, unknown> = {}) => ({
  id: 'wms-batch',
  name: 'Columbus DC (legacy WMS)',
  dialect: 'wms-batch',
  odooCode: 'COL',
  timeZone: 'America/New_York',
  ...overrides,
});
