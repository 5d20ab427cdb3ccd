export { EventCatalog, subscriberKey, type DeclaredEvent, type Subscriber } from './catalog.js';
export { KernelEventBus, EVENTS_CHANNEL } from './bus.js';
export { EventDispatcher, type DispatcherOptions } from './dispatcher.js';
export { deliverNext } from './deliver.js';
export { ensureEventPartitions, eventPartitionsJob, partitionName } from './partitions.js';
export { afterFailure, errorText, type RetryPolicy, type RetryDecision } from './retry.js';
export { eventsAdminRoutes, EVENTS_ADMIN_PERMISSION } from './admin-routes.js';
export { DELIVERY_STATES, type DeliveryState, type DeliveryView } from './deliveries.js';
