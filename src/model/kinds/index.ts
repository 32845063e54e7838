/** The kind descriptors, one table per family (see docs/ARCHITECTURE.md "Adding a kind"). */
export * from './choices';
export * from './compare';
export * from './drift';
export * from './field';
export * from './tokens';
export * from './weight-init';
