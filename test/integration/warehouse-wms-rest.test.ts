import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WmsRestAdapter } from '../../src/lib/integration/connectors/wms-rest';
import mappingJson from '../../src/lib/integration/connectors/wms-rest/fixtures/mapping.json';
import { WarehouseMapping } from '../../src/lib/integration/connectors/warehouse-mapping';
import { startWmsRestSimulator } from '../../simulators/wms-rest';
import { runWarehouseAdapterContract } from '../contracts/warehouse-adapter.contract';

const mapping = WarehouseMapping.parse(mappingJson);
const secret = `whsec_${Buffer.from('wms-rest-contract-secret-0123').toString('base64')}`;

runWarehouseAdapterContract('wms-rest', {
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'wms-rest-'));
    const sim = await startWmsRestSimulator({ port: 0, apiKey: 'key-123', webhookSecret: secret, stateFile: join(dir, 'state.json'), stock: { 'HX-1001': 500, 'HX-2040': 300 } });
    const adapter = new WmsRestAdapter({ baseUrl: sim.url, auth: { kind: 'api_key', apiKey: 'key-123' }, webhookSecret: secret, mapping, pageSize: 2 });
    return { adapter, control: sim.url, cleanup: async () => (await sim.close(), rmSync(dir, { recursive: true, force: true })) };
  },
});
