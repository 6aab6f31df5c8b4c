/**
 * The shared module as one import, for code outside src/ and backend/ (provisioning/queryFields.ts).
 * src/ and backend/ import each module file directly (e.g. `shared/queryModel`), not this index.
 */
export * from './queryModel';
export * from './validation';
export * from './migrate';
export * from './retention';
export * from './duration';
export * from './periodPlanner';
export * from './mergePages';
export * from './labels';
export * from './resources';
