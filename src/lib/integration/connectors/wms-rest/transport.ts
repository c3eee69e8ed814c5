import { SpanKind } from '@opentelemetry/api';
import type { z } from 'zod';
import { parseOrThrow } from '../../canonical';
import { AuthFailureError, MasterDataError, PartnerUnavailableError, RateLimitedError, SequenceError, ValidationError } from '../../errors';
import { Attr } from '../../../telemetry/conventions';
import { inSpan } from '../../../telemetry/spans';
import type { WmsRestAuth } from './config';
import { TokenResponse } from './wire';

export interface TransportOptions {
  baseUrl: string;
  auth: WmsRestAuth;
  warehouseId: string;
  timeoutMs: number;
}

/**
 * HTTP I/O with the REST WMS and nothing else: authentication (with token refresh), the mapping
 * of HTTP outcomes onto typed errors, zod-parsing of every response, and an HTTP client span per
 * call. A 429 becomes `RateLimitedError` carrying Retry-After, so the runtime's endpoint guard
 * cools down only this partner.
 */
export class WmsRestTransport {
  #token?: { value: string; expiresAt: number };

  constructor(private readonly options: TransportOptions) {}

  /** Sends a request and returns the parsed JSON body, or `undefined` for a 404 when `allow404`. */
  async request<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    /** `route` is the path template for the span name (`/v1/orders/{reference_id}`), so names stay low-cardinality. */
    init: { body?: unknown; allow404?: boolean; route?: string } = {},
  ): Promise<z.output<S> | undefined> {
    const url = new URL(path, this.options.baseUrl);
    return inSpan(
      `${method} ${init.route ?? url.pathname}`,
      {
        'http.request.method': method,
        'url.full': url.toString(),
        'server.address': url.hostname,
        'server.port': Number(url.port),
        [Attr.endpointId]: this.options.warehouseId,
        [Attr.warehouseId]: this.options.warehouseId,
      },
      async (span) => {
        let response = await this.#send(method, url, init.body, false);
        // A token can expire between our clock and theirs: refresh once, then it is a real auth failure.
        if (response.status === 401 && this.options.auth.kind === 'oauth2') response = await this.#send(method, url, init.body, true);
        span.setAttribute('http.response.status_code', response.status);
        const text = await response.text();
        if (response.status === 404 && init.allow404) return undefined;
        if (!response.ok) throw errorFor(response, text, method, url);
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          throw new ValidationError(`${method} ${url.pathname} answered ${response.status} with malformed JSON`, { body: text.slice(0, 2000) });
        }
        return parseOrThrow(schema, json, `${method} ${url.pathname} response`);
      },
      { kind: SpanKind.CLIENT },
    );
  }

  async #send(method: string, url: URL, body: unknown, refresh: boolean): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', authorization: await this.#authorization(refresh) };
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      throw new PartnerUnavailableError(`${method} ${url.pathname} failed: ${(error as Error).message}`, { url: url.toString() }, { cause: error });
    }
  }

  async #authorization(refresh: boolean): Promise<string> {
    const auth = this.options.auth;
    if (auth.kind === 'api_key') return `ApiKey ${auth.apiKey}`;
    // Refresh a minute early so a token never expires in flight.
    if (refresh || !this.#token || this.#token.expiresAt - 60_000 <= Date.now()) this.#token = await this.#fetchToken(auth);
    return `Bearer ${this.#token.value}`;
  }

  async #fetchToken(auth: Extract<WmsRestAuth, { kind: 'oauth2' }>) {
    let response: Response;
    try {
      response = await fetch(auth.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${auth.clientId}:${auth.clientSecret}`).toString('base64')}` },
        body: new URLSearchParams({ grant_type: 'client_credentials' }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      throw new PartnerUnavailableError(`token request failed: ${(error as Error).message}`, {}, { cause: error });
    }
    const text = await response.text();
    if (!response.ok) throw errorFor(response, text, 'POST', new URL(auth.tokenUrl));
    const token = parseOrThrow(TokenResponse, JSON.parse(text), 'token response');
    return { value: token.access_token, expiresAt: Date.now() + token.expires_in * 1000 };
  }
}

/** Retry-After as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function errorFor(response: Response, body: string, method: string, url: URL): Error {
  const what = `${method} ${url.pathname} answered ${response.status}`;
  const details = { status: response.status, body: body.slice(0, 2000) };
  if (response.status === 429) return new RateLimitedError(what, retryAfterMs(response.headers.get('retry-after')), details);
  if (response.status === 401 || response.status === 403) return new AuthFailureError(what, details);
  if (response.status >= 500 || response.status === 408) return new PartnerUnavailableError(what, details);
  // The WMS answers 409 when the order's state forbids the request (cancel after shipping).
  if (response.status === 409) return new SequenceError(what, details);
  // The WMS names its refusal in a machine-readable `code`; an unknown SKU is master data, not a bad payload.
  if (codeOf(body) === 'unknown_sku') return new MasterDataError(what, details);
  return new ValidationError(what, details);
}

function codeOf(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && 'code' in parsed && typeof parsed.code === 'string' ? parsed.code : undefined;
  } catch {
    return undefined;
  }
}
