export * from './delivery';
export * from './oauth';
export * from './authorization-code';
export * from './event-input';
export * from './slack';
export * from './salesforce';
export * from './xero';
