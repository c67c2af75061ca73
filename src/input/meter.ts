/**
 * Bytes of an input as stored, read so far: the compressed bytes of a .gz/.xz/.zst, the bytes of a pipe or of
 * stdin. Progress is a fraction of the file's size, and a compressed file's size is of its compressed bytes:
 * the decoded text, larger, would pass 100%.
 */
export class ReadMeter {
  bytes = 0;
  /**
   * Set when the input had to be spooled whole to a temporary file before it could be decoded (a file-mode
   * perf.data from a compressed file or a stream: its formats come after its data): that copy's size. The
   * stored bytes are then all read, and progress goes on with the decoding of the copy.
   */
  spooled = 0;
}
