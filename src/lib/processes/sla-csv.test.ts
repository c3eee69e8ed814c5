import { describe, expect, it } from 'vitest';
import { slaReportCsv } from './sla-csv';

const row = {
  process: 'order_fulfillment', step: 'released→acknowledged', warehouse: 'wms-rest', serviceClass: 'realtime', targetMs: 120000,
  judged: 10, met: 9, late: 1, breached: 0, open: 2, attainment: 0.9, p50Ms: 1500.25, p95Ms: 90000, p99Ms: 130000,
};

describe('slaReportCsv', () => {
  it('writes a header and one line per row with rounded numbers', () => {
    expect(slaReportCsv([row])).toBe(
      'process,step,warehouse,serviceClass,targetMs,judged,met,late,breached,open,attainment,p50Ms,p95Ms,p99Ms\r\n' +
        'order_fulfillment,released→acknowledged,wms-rest,realtime,120000,10,9,1,0,2,0.9,1500.25,90000,130000\r\n',
    );
  });

  it('quotes separators and neutralises formula-looking text from partners', () => {
    const csv = slaReportCsv([{ ...row, warehouse: '=HYPERLINK("http://x","y")', attainment: null }]);
    expect(csv.split('\r\n')[1]).toBe(`order_fulfillment,released→acknowledged,"'=HYPERLINK(""http://x"",""y"")",realtime,120000,10,9,1,0,2,,1500.25,90000,130000`);
  });
});
