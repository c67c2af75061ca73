import { growU8 } from './growable.js';

/**
 * How far apart, on loopback, two events of one address may be and still be one packet: 20 ms. Past it a match
 * is taken for address reuse (match = address_reuse_suspect, no latency in the summary). On loopback a packet
 * is handed from transmit to receive in the sender's own softirq, and leaves the receive side when the reader
 * copies it: the fixtures' direct matches (no newer packet of the address in between) sit below 15 ms (tcp-bulk's
 * receive queue backs up to 12 ms), and the next cluster starts at 30 ms, the address taken by a unix socket
 * skb (consume_skb at unix_stream_connect) of curl's next connection ~40 ms later. docs/summary.md shows the
 * distribution. Real devices get no such limit: a NIC may free a transmitted skb only on its next transmit
 * (virtio without TX interrupts), seconds later on an idle link.
 */
export const LOOPBACK_REUSE_NS = 20_000_000;

/** Per device name id of the input: 1 for the loopback device (lo). Names are looked at once, when first seen. */
export class DeviceClass {
  loopback = new Uint8Array(16);
  private seen = 0;

  update(names: readonly string[]): void {
    if (names.length > this.loopback.length) this.loopback = growU8(this.loopback, names.length);
    for (let id = this.seen; id < names.length; id++) this.loopback[id] = names[id] === 'lo' ? 1 : 0;
    this.seen = names.length;
  }

  /** Whether events `ns` apart on device `dev` cannot be one loopback packet. */
  tooFar(dev: number, ns: number): boolean {
    return dev >= 0 && this.loopback[dev] === 1 && ns > LOOPBACK_REUSE_NS;
  }
}
