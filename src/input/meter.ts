/**
 * Bytes of an input as stored, read so far: the compressed bytes of a .gz/.xz/.zst, the bytes of a pipe or of
 * stdin. Progress is a fraction of the file's size, and a compressed file's size is of its compressed bytes:
 * the decoded text, larger, would pass 100%.
 */
export class ReadMeter {
  bytes = 0;
}
