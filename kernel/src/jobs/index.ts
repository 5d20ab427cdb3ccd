export { JobsRuntime, type JobsConfig, type JobsDeps } from './runtime.js';
export { jobRoutes } from './routes.js';
export { KERNEL_OWNER } from './registry.js';
