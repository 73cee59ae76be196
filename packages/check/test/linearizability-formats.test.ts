// The readers of Jepsen register logs and EDN key-value logs, on small logs written for these tests.

import { describe, expect, it } from "vitest";
import { HistoryError, casRegisterModel, checkLinearizable, kvModel, parseEdnKvLog, parseJepsenRegisterLog } from "../src/index.js";

/** A Jepsen log line with tab-separated fields. */
const j = (process: number, type: string, f: string, value: string): string => `INFO  jepsen.util - ${process}\t:${type}\t:${f}\t${value}`;
/** An EDN key-value log line. */
const kv = (process: number, type: string, f: string, key: string, value: string | null): string =>
  `{:process ${process}, :type :${type}, :f :${f}, :key ${JSON.stringify(key)}, :value ${value === null ? "nil" : JSON.stringify(value)}}`;

describe("Jepsen register logs", () => {
  it("pairs calls with outcomes; time is the line number, values are strings, nil is null", () => {
    const log = [
      j(0, "invoke", "read", "nil"),
      j(1, "invoke", "write", "3"),
      j(0, "ok", "read", "nil"),
      j(1, "ok", "write", "3"),
      j(0, "invoke", "cas", "[3 4]"),
      j(0, "ok", "cas", "[3 4]"),
      j(1, "invoke", "cas", "[1 2]"),
      j(1, "fail", "cas", "[1 2]"),
      j(1, "invoke", "write", "5"),
      j(1, "fail", "write", "5"),
    ].join("\n");
    const ops = parseJepsenRegisterLog(log);
    expect(ops).toEqual([
      { id: 0, client: 0, call: 1, return: 3, input: { op: "get" }, output: { value: null } },
      { id: 1, client: 1, call: 2, return: 4, input: { op: "put", value: "3" }, output: {} },
      { id: 2, client: 0, call: 5, return: 6, input: { op: "cas", expected: "3", value: "4" }, output: { ok: true } },
      { id: 3, client: 1, call: 7, return: 8, input: { op: "cas", expected: "1", value: "2" }, output: { ok: false } },
      { id: 4, client: 1, call: 9, return: 10, input: { op: "put", value: "5" }, output: { ok: false } },
    ]);
    expect(checkLinearizable(casRegisterModel, ops).verdict).toBe("ok");
  });

  it("an empty log, or one with no operation line, is an empty history", () => {
    expect(parseJepsenRegisterLog("")).toEqual([]);
    expect(parseJepsenRegisterLog("INFO  jepsen.core - Run complete\n\n")).toEqual([]);
    expect(parseEdnKvLog("\n  \n")).toEqual([]);
    expect(checkLinearizable(casRegisterModel, parseJepsenRegisterLog("")).verdict).toBe("ok");
  });

  it("reads fields apart by spaces as well as tabs", () => {
    const tabs = [j(2, "invoke", "write", "1"), j(2, "ok", "write", "1"), j(10, "invoke", "cas", "[1 0]"), j(10, "ok", "cas", "[1 0]")].join("\n");
    const spaces = ["INFO  jepsen.util - 2   :invoke :write  1", "INFO  jepsen.util - 2   :ok     :write  1", "INFO  jepsen.util - 10  :invoke :cas    [1 0]", "INFO  jepsen.util - 10  :ok     :cas    [1 0]"].join("\n");
    expect(parseJepsenRegisterLog(spaces)).toEqual(parseJepsenRegisterLog(tabs));
  });

  it("a time-out leaves the outcome unknown and the process a new client; a read that failed is left out", () => {
    const log = [
      j(0, "invoke", "write", "1"),
      j(0, "info", "write", ":timed-out"),
      j(0, "invoke", "read", "nil"),
      j(0, "fail", "read", ":timed-out"),
      j(0, "invoke", "read", "nil"),
      j(0, "ok", "read", "1"),
      j(3, "invoke", "cas", "[1 2]"),
    ].join("\n");
    const ops = parseJepsenRegisterLog(log);
    expect(ops).toEqual([
      { id: 0, client: 0, call: 1, return: Infinity, input: { op: "put", value: "1" }, output: { unknown: true } },
      { id: 1, client: 1, call: 5, return: 6, input: { op: "get" }, output: { value: "1" } },
      // Still open at the end of the log: unknown.
      { id: 2, client: 2, call: 7, return: Infinity, input: { op: "cas", expected: "1", value: "2" }, output: { unknown: true } },
    ]);
    expect(checkLinearizable(casRegisterModel, ops).verdict).toBe("ok");
  });

  it("skips other log lines and finds a stale read", () => {
    const log = [
      "INFO  jepsen.core - Run complete, writing",
      j(0, "invoke", "write", "1"),
      j(0, "ok", "write", "1"),
      j(1, "invoke", "write", "2"),
      j(1, "ok", "write", "2"),
      j(0, "invoke", "read", "nil"),
      j(0, "ok", "read", "1"),
      "",
    ].join("\n");
    const ops = parseJepsenRegisterLog(log);
    expect(ops).toHaveLength(3);
    expect(checkLinearizable(casRegisterModel, ops).verdict).toBe("illegal");
  });

  it("rejects a log whose lines do not pair up or hold a bad value", () => {
    const parse = (...lines: string[]) => () => parseJepsenRegisterLog(lines.join("\n"));
    expect(parse(j(0, "ok", "read", "1"))).toThrow(/line 1: process 0 returns without an open call/);
    expect(parse(j(0, "invoke", "read", "nil"), j(0, "invoke", "write", "1"))).toThrow(/line 2: process 0 calls again while its call on line 1 is still open/);
    expect(parse(j(0, "invoke", "read", "nil"), j(0, "ok", "write", "1"))).toThrow(/line 2: the :write outcome does not match the open get/);
    expect(parse(j(0, "invoke", "cas", "[1]"))).toThrow(/expected a cas value/);
    expect(parse(j(0, "invoke", "write", "x"))).toThrow(/expected an integer value/);
    expect(parse(j(0, "invoke", "read", "2"))).toThrow(/a read is invoked with nil/);
    expect(parse(j(0, "invoke", "read", "nil"), j(0, "done", "read", "1"))).toThrow(/unknown type :done/);
    expect(parse(j(0, "invoke", "delete", "1"))).toThrow(HistoryError);
  });
});

describe("EDN key-value logs", () => {
  it("reads put, append and get per key; an empty read means absent", () => {
    const log = [
      kv(0, "invoke", "get", "a", null),
      kv(0, "ok", "get", "a", ""),
      kv(1, "invoke", "put", "a", "x"),
      kv(2, "invoke", "append", "b", "y"),
      kv(1, "ok", "put", "a", ""),
      kv(2, "ok", "append", "b", ""),
      kv(0, "invoke", "get", "b", null),
      kv(0, "ok", "get", "b", "y"),
    ].join("\n");
    const ops = parseEdnKvLog(log);
    expect(ops).toEqual([
      { id: 0, client: 0, call: 1, return: 2, input: { op: "get", key: "a" }, output: { value: null } },
      { id: 1, client: 1, call: 3, return: 5, input: { op: "put", key: "a", value: "x" }, output: {} },
      { id: 2, client: 2, call: 4, return: 6, input: { op: "append", key: "b", value: "y" }, output: {} },
      { id: 3, client: 0, call: 7, return: 8, input: { op: "get", key: "b" }, output: { value: "y" } },
    ]);
    expect(checkLinearizable(kvModel, ops).verdict).toBe("ok");
  });

  it("a failed write did not happen, an info outcome is unknown; a stale read is found", () => {
    const failed = parseEdnKvLog([kv(0, "invoke", "put", "k", "1"), kv(0, "fail", "put", "k", "1"), kv(1, "invoke", "get", "k", null), kv(1, "ok", "get", "k", "1")].join("\n"));
    expect(failed[0]?.output).toEqual({ ok: false });
    expect(checkLinearizable(kvModel, failed).verdict).toBe("illegal");
    const unknown = parseEdnKvLog([kv(0, "invoke", "append", "k", "1"), kv(0, "info", "append", "k", "1"), kv(1, "invoke", "get", "k", null), kv(1, "ok", "get", "k", "1")].join("\n"));
    expect(unknown[0]).toMatchObject({ return: Infinity, output: { unknown: true } });
    expect(unknown[1]?.client).not.toBe(unknown[0]?.client);
    expect(checkLinearizable(kvModel, unknown).verdict).toBe("ok");
    const stale = parseEdnKvLog(
      [kv(0, "invoke", "put", "k", "1"), kv(0, "ok", "put", "k", ""), kv(0, "invoke", "put", "k", "2"), kv(0, "ok", "put", "k", ""), kv(1, "invoke", "get", "k", null), kv(1, "ok", "get", "k", "1")].join("\n"),
    );
    expect(checkLinearizable(kvModel, stale).verdict).toBe("illegal");
  });

  it("rejects malformed lines and outcomes that do not match their call", () => {
    const parse = (...lines: string[]) => () => parseEdnKvLog(lines.join("\n"));
    expect(parse("{:process 0, :type :invoke}")).toThrow(/line 1: not an operation map/);
    expect(parse(kv(0, "invoke", "get", "a", null), kv(0, "ok", "get", "b", "1"))).toThrow(/line 2: the outcome \(get "b"\) does not match the open get "a"/);
    expect(parse(kv(0, "invoke", "get", "a", null), kv(0, "ok", "get", "a", null))).toThrow(/an ok get needs the value it read/);
    expect(parse(kv(0, "invoke", "put", "a", null))).toThrow(/a put needs a value/);
    expect(parse(kv(0, "invoke", "delete", "a", null))).toThrow(/unknown operation :delete/);
    expect(parse(kv(0, "ok", "put", "a", ""))).toThrow(HistoryError);
  });
});
