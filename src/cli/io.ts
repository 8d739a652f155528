/** Where a command writes: the terminal in `bin/socle.js`, a buffer in tests. */
export type Io = { out: (s: string) => void; err: (s: string) => void };
