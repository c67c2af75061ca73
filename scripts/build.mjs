// Builds dist/ from src/ into a folder of its own, then swaps it in: a fresh dist/ (no file of a removed
// module left behind) that is never half-written while another process runs the CLI from it.
import { execFileSync } from 'node:child_process';
import { renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const next = `.dist-${process.pid}`;
const old = `.dist-old-${process.pid}`;
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
try {
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', next], { stdio: 'inherit' });
} catch {
  rmSync(next, { recursive: true, force: true });
  process.exit(1);
}
try {
  renameSync('dist', old);
} catch {
  // no dist/ yet
}
renameSync(next, 'dist');
rmSync(old, { recursive: true, force: true });
