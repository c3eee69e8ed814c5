import { Attr } from '../../../telemetry/conventions';
import { classifyOdooFault } from './errors';
import { jsonBody, odooRequest } from './http';
import type { OdooCall, OdooEndpoint, OdooTransport } from './transport';
import { Json2Error } from './wire';
import { parseOrThrow } from '../../canonical';

/**
 * Odoo 19's JSON-2: `POST /json/2/<model>/<method>` with `Authorization: bearer <api key>` and
 * `X-Odoo-Database`; `ids`, `context` and the keyword arguments are keys of the body. Errors come
 * with the exception's HTTP status and `serialize_exception` as the body.
 */
export class Json2Transport implements OdooTransport {
  readonly protocol = 'json-2' as const;

  constructor(private readonly endpoint: OdooEndpoint) {}

  async call(call: OdooCall): Promise<unknown> {
    const url = new URL(`/json/2/${encodeURIComponent(call.model)}/${encodeURIComponent(call.method)}`, this.endpoint.url);
    const body = JSON.stringify({ ...(call.ids ? { ids: call.ids } : {}), ...call.kwargs, ...(call.context ? { context: call.context } : {}) });
    return odooRequest(
      `POST /json/2/${call.model}/${call.method}`,
      url,
      {
        headers: { 'content-type': 'application/json', authorization: `bearer ${this.endpoint.apiKey}`, 'x-odoo-database': this.endpoint.database },
        body,
        timeoutMs: this.endpoint.timeoutMs,
        attributes: { [Attr.odooModel]: call.model, [Attr.odooMethod]: call.method },
      },
      (reply) => {
        if (reply.status === 200) {
          const result = jsonBody(reply, `Odoo ${url.pathname}`);
          return result === null ? undefined : result;
        }
        if (reply.status === 401 && !reply.headers.get('content-type')?.includes('json'))
          throw classifyOdooFault({ name: 'werkzeug.exceptions.Unauthorized', message: reply.text.slice(0, 200), model: call.model, method: call.method });
        if (reply.headers.get('content-type')?.includes('json')) {
          const fault = parseOrThrow(Json2Error, jsonBody(reply, `Odoo ${url.pathname}`), 'Odoo JSON-2 error');
          throw classifyOdooFault({ name: fault.name, message: fault.message, model: call.model, method: call.method });
        }
        throw classifyOdooFault({ name: 'werkzeug.exceptions.NotFound', message: reply.text.slice(0, 200), model: call.model, method: call.method });
      },
    );
  }
}
