export * from './analyzer.ts';
export * from './registry.ts';
export * from './scan.ts';
