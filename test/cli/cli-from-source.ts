/**
 * The CLI run from the sources (`node --import tsx test/cli/cli-from-source.ts ARGS`), for tests that need a
 * process of its own on a real terminal: it does not depend on dist/ having been built.
 */
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
