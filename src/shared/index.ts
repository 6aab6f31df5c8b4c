/** The shared module: one import path for both the browser bundle and the backend. */
export * from './queryModel';
export * from './validation';
export * from './migrate';
export * from './retention';
export * from './duration';
export * from './periodPlanner';
export * from './mergePages';
export * from './labels';
export * from './resources';
