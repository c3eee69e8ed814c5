import { loadTopology } from '../integration/topology';

let known: { file: string; ids: string[] } | undefined;

/** The warehouses a reroute may go to, from the runtime's topology file (read once); none if it cannot be read here. */
export function warehouseIds(file: string): string[] {
  if (known?.file !== file) {
    try {
      known = { file, ids: loadTopology(file).warehouses.map((w) => w.id) };
    } catch {
      known = { file, ids: [] };
    }
  }
  return known.ids;
}
