// npm run check-log: small hand-written Jepsen and key-value logs judged, the format told apart, bad input refused with the file and line.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { guessFormat, main } from "../src/check-log.js";

const dir = mkdtempSync(join(tmpdir(), "check-log-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const write = (name: string, lines: readonly string[]): string => {
  const file = join(dir, name);
  writeFileSync(file, lines.join("\n") + "\n");
  return file;
};
const j = (process: number, type: string, f: string, value: string) => `INFO  jepsen.util - ${process}\t:${type}\t:${f}\t${value}`;
const kv = (process: number, type: string, f: string, key: string, value: string | null) => `{:process ${process}, :type :${type}, :f :${f}, :key "${key}", :value ${value === null ? "nil" : JSON.stringify(value)}}`;

/** Runs the command and returns its exit status with everything it printed. */
async function run(...argv: string[]): Promise<{ status: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
  vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void err.push(a.join(" ")));
  const status = await main(argv, {});
  return { status, out: out.join("\n"), err: err.join("\n") };
}

const jepsenOk = [j(0, "invoke", "write", "1"), j(0, "ok", "write", "1"), j(1, "invoke", "read", "nil"), j(1, "ok", "read", "1"), j(2, "invoke", "cas", "[1 2]"), j(2, "ok", "cas", "[1 2]")];
const jepsenStale = [j(0, "invoke", "write", "1"), j(0, "ok", "write", "1"), j(0, "invoke", "write", "2"), j(0, "ok", "write", "2"), j(1, "invoke", "read", "nil"), j(1, "ok", "read", "1")];
const kvOk = [kv(0, "invoke", "put", "a", "x"), kv(0, "ok", "put", "a", ""), kv(1, "invoke", "get", "a", null), kv(1, "ok", "get", "a", "x")];
const kvStale = [kv(0, "invoke", "put", "a", "x"), kv(0, "ok", "put", "a", ""), kv(1, "invoke", "get", "a", null), kv(1, "ok", "get", "a", "")];

describe("npm run check-log", () => {
  it("tells the two formats apart by their first operation line", () => {
    expect(guessFormat(["2017-01-01 INFO some other line", ...jepsenOk].join("\n"))).toBe("jepsen");
    expect(guessFormat(["", ...kvOk].join("\n"))).toBe("kv");
    expect(guessFormat("nothing here\n")).toBeUndefined();
  });

  it("exit 0 on linearizable logs of either format", async () => {
    const r = await run(write("ok.log", jepsenOk), write("ok.txt", kvOk));
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/linearizable .*ok\.log \(3 operations, jepsen log/);
    expect(r.out).toMatch(/linearizable .*ok\.txt \(2 operations, kv log/);
  });

  it("exit 1 on a stale read, with the explanation; a violation outranks a linearizable file", async () => {
    const r = await run(write("fine.log", jepsenOk), write("stale.log", jepsenStale));
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/not linearizable .*stale\.log/);
    expect(r.out).toMatch(/The longest linearizable prefix has 2 operations/);
    expect(r.out).toMatch(/must come next is possible from that state:\n\s+get\(\) -> "1"/);
    expect((await run(write("stale.txt", kvStale))).status).toBe(1);
  });

  it("--format forces the reader: a kv log read as Jepsen has no operation to check", async () => {
    const file = write("forced.txt", kvStale);
    expect((await run(file, "--format", "kv")).status).toBe(1);
    const asJepsen = await run(file, "--format", "jepsen");
    expect(asJepsen.status).toBe(0);
    expect(asJepsen.out).toMatch(/0 operations/);
  });

  it("exit 2 with the file and line on malformed input", async () => {
    const unpaired = await run(write("unpaired.log", [j(0, "invoke", "read", "nil"), j(0, "invoke", "write", "3")]));
    expect(unpaired.status).toBe(2);
    expect(unpaired.err).toMatch(/unpaired\.log: Jepsen log line 2: process 0 calls again while its call on line 1 is still open/);
    const badValue = await run(write("bad-value.log", [j(0, "invoke", "write", "three")]));
    expect(badValue.err).toMatch(/bad-value\.log: Jepsen log line 1: expected an integer value/);
    const badMap = await run(write("bad-map.txt", [kv(0, "invoke", "get", "a", null), "{:process 0, :type :ok}"]));
    expect(badMap.status).toBe(2);
    expect(badMap.err).toMatch(/bad-map\.txt: kv log line 2: not an operation map/);
  });

  it("exit 2 with a clear message on a missing file, an unknown format, no files or a bad option", async () => {
    expect((await run(join(dir, "absent.log"))).err).toMatch(/cannot read .*absent\.log/);
    const unknown = await run(write("prose.txt", ["just some words"]));
    expect(unknown.status).toBe(2);
    expect(unknown.err).toMatch(/no Jepsen register line or EDN key-value map found; give --format jepsen or --format kv/);
    expect((await run()).err).toMatch(/give at least one log file/);
    expect((await run("x.log", "--format", "csv")).err).toMatch(/--format must be "jepsen" or "kv"/);
    expect((await run("x.log", "--time-limit", "0")).err).toMatch(/--time-limit must be a whole number >= 1/);
  });

  it("--help says both formats and the exit statuses", async () => {
    const r = await run("--help");
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/jepsen.util/);
    expect(r.out).toMatch(/:process P/);
    expect(r.out).toMatch(/Exit status/);
  });
});
