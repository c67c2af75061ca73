/**
 * apache-arrow for what this project writes (Arrow batches for parquet-wasm, Arrow IPC files): its
 * single-file build, loaded in ~25 ms here, where the package's ES module entry is ~150 modules and
 * ~170 ms, on the critical path of every conversion. The same library and version; its types are the
 * package's own. Everything that builds batches takes its classes from here (never mixed with the ES
 * module entry's, which are other classes: `instanceof` and makeData would not recognise them).
 */
import { createRequire } from 'node:module';
import type * as ArrowModule from 'apache-arrow';

export type ArrowLib = typeof ArrowModule;

const load = createRequire(import.meta.url);

/** The module's exports, typed as the package declares them (require() itself is untyped). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- require() returns any; this is the package's declared type
export const arrow: ArrowLib = load('apache-arrow/Arrow.esnext.min');
