export { startAdminApi } from './admin-server';
export type { AdminApi, AdminApiOptions } from './admin-server';
