import { Worker } from 'node:worker_threads';

/**
 * A worker thread running the module `name` beside `base` (an import.meta.url). Run from the TypeScript
 * sources (the tests), the worker registers tsx and then imports the .ts module; as installed, it runs the .js.
 */
export function startWorker(base: string, name: string): Worker {
  if (!base.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, base));
  const url = new URL(`./${name}.ts`, base).href;
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); });`;
  return new Worker(boot, { eval: true });
}
