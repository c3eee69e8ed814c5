export { SqliteBus } from './sqlite/sqlite-bus';
export type { SqliteBusOptions } from './sqlite/sqlite-bus';
export { topicProblem } from './types';
export type {
  BusCapabilities,
  Delivery,
  MessageBus,
  PublishOptions,
  PublishResult,
  QueueStats,
  SubscribeOptions,
  Subscription,
  Topic,
} from './types';
export { JetStreamBus } from './jetstream/jetstream-bus';
export type { JetStreamBusOptions } from './jetstream/jetstream-bus';
