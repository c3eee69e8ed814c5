import { accessDenied, accessError, keyError, typeError } from '../errors';
import type { OdooInstance } from '../instance';
import { sessionExpired } from './envelope';

/** What a session route returns, and the cookie it sets. */
export interface SessionReply {
  result: unknown;
  setCookie?: string;
}

/**
 * The web client's cookie-session routes: `/web/webclient/version_info`,
 * `/web/session/authenticate` (interactive: the password only, never an API key),
 * `/web/session/destroy` and `/web/dataset/call_kw[/<model>/<method>]` (the suffix is ignored).
 */
export function sessionRoute(odoo: OdooInstance, path: string, params: Record<string, unknown>, sid: string | undefined): SessionReply | undefined {
  if (path === '/web/webclient/version_info') return { result: odoo.versionInfo() };
  if (path === '/web/session/authenticate') {
    if (params.db !== odoo.database) throw accessError('Database not found.');
    const uid = odoo.authenticate(params.login, params.password, true);
    if (uid === false) throw accessDenied();
    const session = odoo.openSession(uid);
    return { result: odoo.sessionInfo(uid), setCookie: `session_id=${session}; Expires=${new Date(Date.now() + 7 * 86_400_000).toUTCString()}; Max-Age=604800; HttpOnly; Path=/` };
  }
  if (path === '/web/session/destroy') {
    odoo.closeSession(sid);
    return { result: undefined };
  }
  if (path === '/web/session/get_session_info') {
    const uid = odoo.sessionUid(sid);
    if (uid === undefined) throw sessionExpired();
    return { result: odoo.sessionInfo(uid) };
  }
  if (path === '/web/dataset/call_kw' || path.startsWith('/web/dataset/call_kw/')) {
    const uid = odoo.sessionUid(sid);
    if (uid === undefined) throw sessionExpired();
    for (const key of ['model', 'method', 'args'])
      if (!(key in params)) throw typeError(`DataSet.call_kw() missing 1 required positional argument: '${key}'`);
    // Unlike /jsonrpc, an unknown model here is the registry's KeyError.
    const model = odoo.models.get(String(params.model));
    if (!model) throw keyError(String(params.model));
    return {
      result: odoo.execute(uid, model, String(params.method), {
        kind: 'rpc',
        args: Array.isArray(params.args) ? params.args : [],
        kwargs: (params.kwargs as Record<string, unknown>) ?? {},
      }),
    };
  }
  return undefined;
}
