export { WmsRestAdapter } from './adapter';
export { WmsRestConfig, WmsRestAuth } from './config';
export type { WmsRestConfigInput } from './config';
export { WebhookDecoder } from './webhooks';
export type { VerifiedWebhook } from './webhooks';
export { webhookEndpoint } from './webhook-endpoint';
export type { WebhookEndpointOptions } from './webhook-endpoint';
