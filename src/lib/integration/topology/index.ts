export { loadTopology, type Topology, type TopologyWarehouse } from './topology';
