import { describe, expect, it } from "vitest";
import { cannotRead } from "../../src/config/read-limits";

/** Tests run as root here, which no file mode denies: the phrases are checked on the errors the system gives. */
describe("unreadable files", () => {
  it("say what to check instead of a bare error code", () => {
    const err = (code: string) => Object.assign(new Error(code), { code });
    expect(cannotRead(err("EACCES")).message).toBe("cannot be read: permission denied (check the file's owner and mode, and the folders above it)");
    expect(cannotRead(err("EPERM")).message).toMatch(/^cannot be read: permission denied/);
    expect(cannotRead(err("ENOTDIR")).message).toBe("does not exist: a part of its path is a file, not a folder");
    expect(cannotRead(err("EIO")).message).toBe("cannot be read (EIO)");
    expect(cannotRead(new Error("no code")).message).toBe("cannot be read (error)");
  });
});
