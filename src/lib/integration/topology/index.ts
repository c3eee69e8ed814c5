export { loadTopology, warehouseByOdooCode, type Topology, type TopologyWarehouse } from './topology';
