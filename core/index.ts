export * from './event/normalized-event';
export * from './verify/record';
export * from './vendors/definition';
export * from './verify/crypto';
export * from './inbound/dedupe';
export * from './inbound/ingest';
export * from './outbound/http';
export * from './outbound/errors';
export { vendorModules, vendors } from './vendors';
