export * from './event';
export * from './verification';
export * from './vendor';
export * from './verify';
export * from './dedupe';
export * from './ingest';
export * from './http';
export * from './errors';
export { vendorModules, vendors } from './vendors';
