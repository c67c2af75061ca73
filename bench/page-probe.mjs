/**
 * What a fresh page of memory costs on this machine: CPU per 4 KiB page the first time it is written (the
 * kernel finds, zeroes and maps it; a VM's host may have to back it too) and the second time (already
 * mapped), over 256 MiB in 64 MiB buffers that are allocated untouched. Prints one JSON line.
 */
const PAGE = 4096;
const BUFFER = 64 << 20;
const ROUNDS = 4;

const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
let first = 0;
let second = 0;
let sum = 0;
for (let r = 0; r < ROUNDS; r++) {
  // Large enough for the allocator to map it fresh from the kernel, untouched.
  const b = new Uint8Array(BUFFER);
  let t = cpuUs();
  for (let i = 0; i < BUFFER; i += PAGE) b[i] = 1;
  first += cpuUs() - t;
  t = cpuUs();
  for (let i = 0; i < BUFFER; i += PAGE) b[i] = 2;
  second += cpuUs() - t;
  sum += b[PAGE];
}
const pages = (ROUNDS * BUFFER) / PAGE;
console.log(JSON.stringify({ firstTouchUs: first / pages, againUs: second / pages, pages, check: sum }));
