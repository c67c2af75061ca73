/**
 * JSON read back by tests (manifests, package.json, --json output), typed: a guard checks what is cheap to
 * check (the keys), and the test's expectations check the rest.
 */
import { readFileSync } from 'node:fs';
import type { Manifest } from '../../src/dataset/manifest.js';

/** A guard for a JSON object of type T that has each of `keys`. */
export const hasKeys =
  <T>(...keys: (keyof T & string)[]) =>
  (v: unknown): v is T =>
    typeof v === 'object' && v !== null && !Array.isArray(v) && keys.every((k) => k in v);

/** `text` parsed as JSON; throws unless `is` accepts it. */
export function parseJson<T>(text: string, is: (v: unknown) => v is T): T {
  const v: unknown = JSON.parse(text);
  if (!is(v)) throw new Error(`unexpected JSON: ${text.slice(0, 200)}`);
  return v;
}

/** The file at `path` parsed as JSON; throws unless `is` accepts it. */
export const readJson = <T>(path: string, is: (v: unknown) => v is T): T => parseJson(readFileSync(path, 'utf8'), is);

const isManifest = hasKeys<Manifest>('tool', 'inputs', 'tables');

/** A manifest.json, or what `--json` prints. */
export const parseManifest = (text: string): Manifest => parseJson(text, isManifest);

export const readManifest = (path: string): Manifest => readJson(path, isManifest);

/** package.json, as far as tests read it. */
export const readPackageJson = (path: string): { version: string } =>
  readJson(path, hasKeys<{ version: string }>('version'));
