// The key-value state machine: puts, appends, session deduplication, snapshot images.

import { describe, expect, it } from "vitest";
import { KvStore, formatCommand } from "../src/index.js";

describe("KvStore", () => {
  it("applies a client's numbered command once, answering repeats from the session table (§8)", () => {
    const kv = new KvStore();
    const cmd = (seq: number, value: string) => ({ kind: "client" as const, client: "a", seq, op: { type: "append" as const, key: "k", value } });
    expect(kv.apply(cmd(1, "x"))).toBe("x");
    expect(kv.apply(cmd(1, "x"))).toBe("x");
    expect(kv.apply(cmd(2, "y"))).toBe("xy");
    kv.apply(cmd(1, "x")); // an older retry arriving late changes nothing
    expect(kv.get("k")).toBe("xy");
    const copy = KvStore.from(JSON.parse(JSON.stringify(kv.toJSON())));
    expect(copy.apply(cmd(2, "y"))).toBe("xy");
    expect(copy.get("k")).toBe("xy");
  });

  it("names commands the way narration shows them", () => {
    expect(formatCommand({ kind: "client", client: "c", op: { type: "put", key: "x", value: "1" } })).toBe("x=1");
    expect(formatCommand({ kind: "config", members: [1, 2, 3] })).toBe("config [1,2,3]");
    expect(formatCommand({ kind: "noop" })).toBe("no-op");
  });
});
