// Readers for two text formats of client histories, Jepsen's register log and an EDN key-value log, into the checker's operations.

import type { KvInput, KvOutput, RegisterInput } from "./kv-model.js";
import { HistoryError, type Operation } from "./types.js";

/**
 * Pairs calls with their outcomes, line by line. Time is the line number. A client (a Jepsen process) has at most
 * one call open; a call whose outcome is unknown gives its client a fresh number, so a process that carries on
 * after a time-out never overlaps itself. Calls still open at the end have an unknown outcome.
 */
class Pairing<I> {
  readonly operations: Operation<I, KvOutput>[] = [];
  private readonly open = new Map<number, { id: number; client: number; call: number; input: I; line: number }>();
  private readonly clientOf = new Map<number, number>();
  private nextClient = 0;
  private nextId = 0;

  constructor(private readonly format: string) {}

  private client(process: number): number {
    let c = this.clientOf.get(process);
    if (c === undefined) this.clientOf.set(process, (c = this.nextClient++));
    return c;
  }

  call(process: number, input: I, line: number): void {
    const earlier = this.open.get(process);
    if (earlier !== undefined) throw new HistoryError(`${this.format} line ${line}: process ${process} calls again while its call on line ${earlier.line} is still open`);
    this.open.set(process, { id: this.nextId++, client: this.client(process), call: line, input, line });
  }

  /** `output` undefined: the call is dropped (a read that returned nothing constrains nothing). */
  finish(process: number, output: KvOutput | undefined, line: number, check?: (input: I) => string | undefined): void {
    const c = this.open.get(process);
    if (c === undefined) throw new HistoryError(`${this.format} line ${line}: process ${process} returns without an open call`);
    const problem = check?.(c.input);
    if (problem !== undefined) throw new HistoryError(`${this.format} line ${line}: ${problem} (called on line ${c.line})`);
    this.open.delete(process);
    if (output === undefined) return;
    const unknown = output.unknown === true;
    this.operations.push({ id: c.id, client: c.client, call: c.call, return: unknown ? Infinity : line, input: c.input, output });
    // The client never learned the outcome: whatever the process does next is another client's call.
    if (unknown) this.clientOf.delete(process);
  }

  end(): Operation<I, KvOutput>[] {
    for (const c of this.open.values()) this.operations.push({ id: c.id, client: c.client, call: c.call, return: Infinity, input: c.input, output: { unknown: true } });
    this.open.clear();
    return this.operations.sort((a, b) => a.id - b.id).map((o, id) => ({ ...o, id }));
  }
}

const JEPSEN_LINE = /^\S+\s+jepsen\.util\s+-\s+(\d+)\s+:(\w+)\s+:(\w+)\s+(.*)$/;

/**
 * A Jepsen log of one register (lines "INFO  jepsen.util - PROCESS :TYPE :F VALUE", fields apart by tabs or
 * spaces, as in Jepsen's etcd test) for `casRegisterModel`. TYPE is invoke, ok, fail or info; F is read (VALUE
 * nil, or the value read), write (the value) or cas ([FROM TO]). Values become strings and nil becomes null
 * (never written). A failed write or cas did not take effect; an info outcome (a time-out) is unknown; a read
 * that failed or timed out is left out, since it saw nothing. Other log lines are skipped.
 */
export function parseJepsenRegisterLog(text: string): Operation<RegisterInput, KvOutput>[] {
  const pairing = new Pairing<RegisterInput>("Jepsen log");
  text.split("\n").forEach((raw, index) => {
    const line = index + 1;
    const m = JEPSEN_LINE.exec(raw.trimEnd());
    if (m === null) return;
    const [, processText, type, f, value] = m as unknown as [string, string, string, string, string];
    const process = Number(processText);
    const bad = (why: string) => new HistoryError(`Jepsen log line ${line}: ${why}: ${JSON.stringify(raw)}`);
    if (type === "invoke") {
      if (f === "read") {
        if (value !== "nil") throw bad("a read is invoked with nil");
        pairing.call(process, { op: "get" }, line);
      } else if (f === "write") {
        pairing.call(process, { op: "put", value: integer(value, bad) }, line);
      } else if (f === "cas") {
        const [from, to] = casPair(value, bad);
        pairing.call(process, { op: "cas", expected: from, value: to }, line);
      } else throw bad(`unknown operation :${f}`);
      return;
    }
    const sameKind = (input: RegisterInput): string | undefined => (input.op === { read: "get", write: "put", cas: "cas" }[f] ? undefined : `the :${f} outcome does not match the open ${input.op}`);
    if (type === "info" || (type === "fail" && value === ":timed-out")) {
      pairing.finish(process, f === "read" ? undefined : { unknown: true }, line, sameKind);
    } else if (type === "ok") {
      if (f === "read") pairing.finish(process, { value: value === "nil" ? null : integer(value, bad) }, line, sameKind);
      else if (f === "write") pairing.finish(process, {}, line, sameKind);
      else if (f === "cas") pairing.finish(process, { ok: true }, line, sameKind);
      else throw bad(`unknown operation :${f}`);
    } else if (type === "fail") {
      if (f === "read") pairing.finish(process, undefined, line, sameKind);
      else if (f === "write") pairing.finish(process, { ok: false }, line, sameKind);
      else if (f === "cas") pairing.finish(process, { ok: false }, line, sameKind);
      else throw bad(`unknown operation :${f}`);
    } else throw bad(`unknown type :${type}`);
  });
  return pairing.end();
}

function integer(text: string, bad: (why: string) => Error): string {
  if (!/^-?\d+$/.test(text)) throw bad("expected an integer value");
  return String(Number(text));
}

function casPair(text: string, bad: (why: string) => Error): [string, string] {
  const m = /^\[(-?\d+)\s+(-?\d+)\]$/.exec(text);
  if (m === null) throw bad("expected a cas value [FROM TO]");
  return [String(Number(m[1])), String(Number(m[2]))];
}

const KV_LINE = /^\{:process (\d+), :type :(\w+), :f :(\w+), :key ("(?:[^"\\]|\\.)*"), :value (nil|"(?:[^"\\]|\\.)*")\}$/;

/**
 * A key-value log in EDN maps, one per line: {:process P, :type :invoke|:ok|:fail|:info, :f :get|:put|:append,
 * :key "K", :value nil|"V"} (the format of Porcupine's kv test data), for `kvModel`. An ok get's value is what it
 * read; such logs write the empty string for a key never written, so an empty read means absent (null). A failed
 * put or append did not take effect; info is an unknown outcome. Blank lines are skipped; any other line is an error.
 */
export function parseEdnKvLog(text: string): Operation<KvInput, KvOutput>[] {
  const pairing = new Pairing<KvInput>("kv log");
  text.split("\n").forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === "") return;
    const m = KV_LINE.exec(raw.trim());
    const bad = (why: string) => new HistoryError(`kv log line ${line}: ${why}: ${JSON.stringify(raw)}`);
    if (m === null) throw bad("not an operation map {:process, :type, :f, :key, :value}");
    const [, processText, type, f, keyText, valueText] = m as unknown as [string, string, string, string, string, string];
    const process = Number(processText);
    const key = JSON.parse(keyText) as string;
    const value = valueText === "nil" ? null : (JSON.parse(valueText) as string);
    if (f !== "get" && f !== "put" && f !== "append") throw bad(`unknown operation :${f}`);
    const sameKind = (input: KvInput): string | undefined => (input.op === f && input.key === key ? undefined : `the outcome (${f} ${JSON.stringify(key)}) does not match the open ${input.op} ${JSON.stringify(input.key)}`);
    if (type === "invoke") {
      if (f === "get") pairing.call(process, { op: "get", key }, line);
      else if (value === null) throw bad(`a ${f} needs a value`);
      else pairing.call(process, { op: f, key, value }, line);
    } else if (type === "ok") {
      if (f === "get" && value === null) throw bad("an ok get needs the value it read");
      pairing.finish(process, f === "get" ? { value: value === "" ? null : value } : {}, line, sameKind);
    } else if (type === "fail") {
      pairing.finish(process, f === "get" ? undefined : { ok: false }, line, sameKind);
    } else if (type === "info") {
      pairing.finish(process, f === "get" ? undefined : { unknown: true }, line, sameKind);
    } else throw bad(`unknown type :${type}`);
  });
  return pairing.end();
}
