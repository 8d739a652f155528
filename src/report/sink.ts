/**
 * Gathers text chunks into one reused buffer of UTF-8 bytes and hands it to `flush` whenever it fills up
 * (and at `end`). Encoding each chunk straight into the buffer, instead of joining chunks into a large
 * string first, keeps the megabyte-sized strings (and the garbage collections they bring) out of a report's
 * writing. `flush` must use the bytes before it returns: the buffer is reused.
 */
export function byteSink(flush: (bytes: Buffer) => void, size = 1 << 20): { write: (chunk: string) => void; end: () => void } {
  const buffer = Buffer.allocUnsafe(size);
  let used = 0;
  const drain = () => {
    if (used > 0) flush(buffer.subarray(0, used));
    used = 0;
  };
  return {
    write(chunk: string): void {
      // A UTF-16 code unit takes at most 3 bytes in UTF-8.
      const most = chunk.length * 3;
      if (most > size - used) {
        drain();
        if (most > size) {
          flush(Buffer.from(chunk, "utf8"));
          return;
        }
      }
      used += buffer.write(chunk, used, "utf8");
    },
    end: drain,
  };
}
