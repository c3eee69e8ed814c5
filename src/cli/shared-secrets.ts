import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

/**
 * The secrets the runtime and the simulators must agree on when `crossdock start` runs both (and
 * the console's alert-link key), each made in the format its variable takes (src/lib/config/areas.ts).
 */
export const sharedSecrets = {
  /** Like the 40 hex digits Odoo shows for a new API key. */
  ODOO_API_KEY: () => randomBytes(20).toString('hex'),
  WMS_REST_API_KEY: () => randomBytes(18).toString('base64url'),
  /** Standard Webhooks: `whsec_` and 24 random bytes in base64. */
  WMS_REST_WEBHOOK_SECRET: () => `whsec_${randomBytes(24).toString('base64')}`,
  WMS_BATCH_SFTP_PASSWORD: () => randomBytes(12).toString('base64url'),
  EDI_3PL_SFTP_PASSWORD: () => randomBytes(12).toString('base64url'),
  /** Signs the acknowledgement links in alert email; kept so links in mail sent before a restart still work. */
  CROSSDOCK_ALERT_LINK_SECRET: () => randomBytes(32).toString('base64url'),
} as const;

export type SharedSecretName = keyof typeof sharedSecrets;

const SavedSecrets = z.record(z.string(), z.string().min(1));

/**
 * Sets every shared secret the environment lacks: the one kept in `file` from an earlier start,
 * or a new one, which is then kept there (mode 0600, only the owner may read it) so the next
 * start resumes with the same secrets and the simulators' saved state still matches. Secrets
 * that came from the environment are never written down.
 */
export function ensureSharedSecrets(env: NodeJS.ProcessEnv, file: string): { generated: SharedSecretName[]; resumed: SharedSecretName[] } {
  let saved: Record<string, string> = {};
  if (existsSync(file)) {
    const parsed = SavedSecrets.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) throw new Error(`${file} is not a JSON object of secrets; delete it to have new ones made`);
    saved = parsed.data;
  }
  const generated: SharedSecretName[] = [];
  const resumed: SharedSecretName[] = [];
  for (const name of Object.keys(sharedSecrets) as SharedSecretName[]) {
    if (env[name]) continue;
    if (saved[name]) {
      env[name] = saved[name];
      resumed.push(name);
    } else {
      env[name] = saved[name] = sharedSecrets[name]();
      generated.push(name);
    }
  }
  if (generated.length > 0) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(saved, null, 2)}\n`, { mode: 0o600 });
    // writeFileSync's mode applies only to a new file; an older one keeps its permissions otherwise.
    chmodSync(file, 0o600);
  }
  return { generated, resumed };
}
