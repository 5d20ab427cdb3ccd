export { campaignsPlugin, campaignsPlugin as default } from './plugin.js';
export * from './contracts.js';
