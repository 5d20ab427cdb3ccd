export { contentPlugin, contentPlugin as default } from './plugin.js';
export * from './contracts.js';
