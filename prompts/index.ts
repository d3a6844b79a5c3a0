export * from './schema.js';
export * from './codes.js';
export * from './catalog.js';
export * from './did-you-mean.js';
