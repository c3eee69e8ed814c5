import { z } from 'zod';
import { AuthFailureError, ValidationError } from '../../errors';
import { parseOrThrow } from '../../canonical';
import { Attr } from '../../../telemetry/conventions';
import { classifyOdooFault } from './errors';
import { jsonBody, odooRequest } from './http';
import type { OdooCall, OdooEndpoint, OdooTransport } from './transport';
import { JsonRpcReply, VersionInfo } from './wire';

/** Calls one service method on `/jsonrpc` and returns its result, or throws the classified error. */
export async function callJsonRpc(
  endpoint: OdooEndpoint,
  service: string,
  method: string,
  args: unknown[],
  spanName: string,
  attributes: Record<string, string> = {},
  /** Judges the result inside the span, so a refusal that comes back as a value (`false`) is recorded on it. */
  interpret: (result: unknown) => unknown = (result) => result,
): Promise<unknown> {
  const url = new URL('/jsonrpc', endpoint.url);
  const body = JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service, method, args }, id: Math.floor(Math.random() * 1e9) });
  return odooRequest(spanName, url, { headers: { 'content-type': 'application/json' }, body, timeoutMs: endpoint.timeoutMs, attributes }, (reply) => {
    if (reply.status !== 200) throw new ValidationError(`Odoo /jsonrpc answered ${reply.status}`, { status: reply.status, body: reply.text.slice(0, 500) });
    const envelope = parseOrThrow(JsonRpcReply, jsonBody(reply, 'Odoo /jsonrpc'), 'Odoo JSON-RPC reply');
    if ('error' in envelope) throw classifyOdooFault({ name: envelope.error.data.name, message: envelope.error.data.message, model: attributes[Attr.odooModel], method: attributes[Attr.odooMethod] });
    return interpret(envelope.result);
  });
}

/** `common.version`: available on every Odoo with `/jsonrpc` (deprecated but present in 19). */
export async function fetchVersion(endpoint: OdooEndpoint): Promise<z.infer<typeof VersionInfo>> {
  const result = await callJsonRpc(endpoint, 'common', 'version', [], 'version common');
  return parseOrThrow(VersionInfo, result, 'Odoo common.version');
}

/**
 * `execute_kw` with the user's API key in place of the password (Odoo 16–18). The uid comes
 * from `common.authenticate` once; Odoo re-checks the key on every call, so a revoked key shows
 * up as AccessDenied on the next call.
 */
export class JsonRpcTransport implements OdooTransport {
  readonly protocol = 'json-rpc' as const;
  #uid?: Promise<number>;

  constructor(private readonly endpoint: OdooEndpoint) {}

  async call(call: OdooCall): Promise<unknown> {
    const uid = await this.uid();
    const kwargs = { ...call.kwargs, ...(call.context ? { context: call.context } : {}) };
    const args = [this.endpoint.database, uid, this.endpoint.apiKey, call.model, call.method, call.ids ? [call.ids] : [], kwargs];
    return callJsonRpc(this.endpoint, 'object', 'execute_kw', args, `execute_kw ${call.model}`, { [Attr.odooModel]: call.model, [Attr.odooMethod]: call.method, 'rpc.system': 'jsonrpc', 'rpc.method': call.method });
  }

  private uid(): Promise<number> {
    this.#uid ??= (async () => {
      const { database, login, apiKey } = this.endpoint;
      // Bad credentials are `false` here, not an error: Odoo's common.authenticate swallows AccessDenied.
      return (await callJsonRpc(this.endpoint, 'common', 'authenticate', [database, login, apiKey, {}], 'authenticate common', {}, (uid) => {
        if (typeof uid !== 'number' || uid <= 0) throw new AuthFailureError(`Odoo refused the API key of ${login} on database ${database}`, { login, database });
        return uid;
      })) as number;
    })().catch((error: unknown) => {
      this.#uid = undefined; // the next call tries again (after a key fix or an outage)
      throw error;
    });
    return this.#uid;
  }
}
