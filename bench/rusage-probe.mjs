/**
 * Loaded with `node --import` into a benchmarked CLI run: writes the process's own resource usage (peak RSS
 * of all its threads, CPU time of both cores, minor page faults) to the file named by NETDEV_TIMES_BENCH_RUSAGE when it exits.
 * Works where /usr/bin/time is missing; children (xz, perf) are not counted.
 */
import { writeFileSync } from 'node:fs';

const out = process.env.NETDEV_TIMES_BENCH_RUSAGE;
if (out) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(
      out,
      JSON.stringify({
        maxRssKb: u.maxRSS,
        userUs: u.userCPUTime,
        systemUs: u.systemCPUTime,
        minorFaults: u.minorPageFault,
      }),
    );
  });
}
