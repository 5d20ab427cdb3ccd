export { identityPlugin, identityPlugin as default } from './plugin.js';
export * from './contracts.js';
