import { SpanKind, type Span } from '@opentelemetry/api';
import { PartnerUnavailableError, RateLimitedError, ValidationError } from '../../errors';
import { Attr } from '../../../telemetry/conventions';
import { inSpan } from '../../../telemetry/spans';
import { retryAfterMs } from '../wms-rest/transport';

/** One HTTP exchange with Odoo, before its body is interpreted. */
export interface HttpReply {
  status: number;
  text: string;
  headers: Headers;
}

/**
 * Sends one request to Odoo inside an HTTP client span (`crossdock.endpoint.id` = `odoo`) and
 * turns what is not Odoo's own answer into typed errors: no connection or a timeout, a proxy's
 * 5xx (maintenance, overload) → `PartnerUnavailableError`; 429 → `RateLimitedError`.
 * Odoo's answers (200 envelopes, JSON-2 4xx bodies) are returned for the caller to read.
 */
export function odooRequest(
  spanName: string,
  url: URL,
  init: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs: number; attributes?: Record<string, string | number> },
  read: (reply: HttpReply, span: Span) => unknown,
): Promise<unknown> {
  const method = init.method ?? 'POST';
  return inSpan(
    spanName,
    {
      'http.request.method': method,
      'url.full': url.toString(),
      'server.address': url.hostname,
      'server.port': Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
      [Attr.endpointId]: 'odoo',
      ...init.attributes,
    },
    async (span) => {
      let response: Response;
      try {
        response = await fetch(url, { method, headers: init.headers, body: init.body, signal: AbortSignal.timeout(init.timeoutMs) });
      } catch (error) {
        throw new PartnerUnavailableError(`Odoo ${url.pathname} unreachable: ${(error as Error).message}`, { url: url.toString() }, { cause: error });
      }
      span.setAttribute('http.response.status_code', response.status);
      const text = await response.text();
      const details = { status: response.status, body: text.slice(0, 500), url: url.toString() };
      if (response.status === 429) throw new RateLimitedError(`Odoo ${url.pathname} answered 429`, retryAfterMs(response.headers.get('retry-after')), details);
      if (response.status >= 500 && !isJson(response)) throw new PartnerUnavailableError(`Odoo ${url.pathname} answered ${response.status}`, details);
      if (response.status === 502 || response.status === 503 || response.status === 504)
        throw new PartnerUnavailableError(`Odoo ${url.pathname} answered ${response.status}`, details);
      return read({ status: response.status, text, headers: response.headers }, span);
    },
    { kind: SpanKind.CLIENT },
  );
}

const isJson = (response: Response) => (response.headers.get('content-type') ?? '').includes('json');

/** Parses a JSON body or explains which exchange returned something else. */
export function jsonBody(reply: HttpReply, what: string): unknown {
  try {
    return JSON.parse(reply.text);
  } catch {
    throw new ValidationError(`${what} answered ${reply.status} with a body that is not JSON`, { status: reply.status, body: reply.text.slice(0, 500) });
  }
}
