export { RouteDefinition, RouteTable, defineRoutes } from './route-definition';
export { chooseWarehouse, isAfter } from './router';
export type { ConsideredRoute, RoutingContext, RoutingDecision } from './router';
export { routeOrder } from './traced-router';
