import { z } from 'zod';
import { SimulatorUnavailable } from './control-clients';

export interface OdooLogin {
  url: string;
  database: string;
  login: string;
  /** The user's password or API key (Odoo takes either for external calls). */
  secret: string;
}

const Reply = z.union([
  z.object({ result: z.unknown() }),
  z.object({ error: z.object({ message: z.string(), data: z.object({ name: z.string().optional(), message: z.string().optional() }).partial().optional() }) }),
  // Odoo omits `result` when a method returns None.
  z.object({}),
]);

/**
 * Odoo's external JSON-RPC API as a person at a keyboard uses it (an admin creating a product,
 * a salesperson entering an order): `common.authenticate`, then `object.execute_kw`. Deliberately
 * not the runtime's connector: the demo acts on Odoo from outside, as its users do.
 */
export class OdooRpc {
  #uid: number | undefined;
  #id = 0;

  constructor(readonly login: OdooLogin) {}

  async #call(service: string, method: string, args: unknown[]): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.login.url}/jsonrpc`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: ++this.#id, params: { service, method, args } }),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      throw new SimulatorUnavailable(`Odoo ${service}.${method}: ${(error as Error).message}`);
    }
    if (!response.ok) throw new SimulatorUnavailable(`Odoo ${service}.${method} answered ${response.status}`, response.status);
    const reply = Reply.parse(await response.json());
    if ('error' in reply) throw new Error(`Odoo ${service}.${method}: ${reply.error.data?.message ?? reply.error.message}`);
    return 'result' in reply ? reply.result : undefined;
  }

  /** The major version the server reports (`common.version`), e.g. 17. */
  async version(): Promise<number> {
    const info = z.object({ server_version_info: z.array(z.unknown()) }).parse(await this.#call('common', 'version', []));
    return Number(info.server_version_info[0]);
  }

  async execute(model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}): Promise<unknown> {
    this.#uid ??= await this.#authenticate();
    const { database, secret } = this.login;
    return this.#call('object', 'execute_kw', [database, this.#uid, secret, model, method, args, kwargs]);
  }

  async #authenticate(): Promise<number> {
    const { database, login, secret } = this.login;
    const uid = await this.#call('common', 'authenticate', [database, login, secret, {}]);
    if (typeof uid !== 'number') throw new Error(`Odoo refused the login ${login} on ${database}: check ODOO_LOGIN and ODOO_API_KEY`);
    return uid;
  }
}

/** A many2one as Odoo reads it: `[id, "name"]`, or `false` when empty. */
export const Many2one = z.union([z.tuple([z.number(), z.string()]), z.literal(false)]);
