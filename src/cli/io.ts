/** Where a command writes: the terminal in `bin/socle.js`, a buffer in tests. `colour` only when stdout is a terminal and NO_COLOR is unset or empty (no-color.org). */
export type Io = { out: (s: string) => void; err: (s: string) => void; colour?: boolean };
