// The simulator's request log as a history of logical client operations, for the kv model.

import type { RequestRecord } from "@course/sim";
import type { KvInput, KvOutput } from "./kv-model.js";
import type { Operation } from "./types.js";

export interface SimHistory {
  readonly operations: Operation<KvInput, KvOutput>[];
  /** Name of each client number: the simulator's client name, with "#2", "#3"... for its later lanes. */
  readonly clients: string[];
}

interface Parsed {
  readonly type?: unknown;
  readonly key?: unknown;
  readonly value?: unknown;
  readonly seq?: unknown;
}

function parseAssignment(text: string): Parsed {
  const m = /^([^=]+)=(.*)$/.exec(text);
  return m ? { type: "put", key: m[1], value: m[2] } : {};
}

interface Logical {
  readonly id: number;
  readonly name: string;
  readonly input: KvInput;
  call: number;
  return: number;
  output: KvOutput;
}

/**
 * Turns the request log into operations. Retries of one session command (same client and seq) are one logical
 * write: it takes effect at most once, somewhere between its first attempt and its first successful answer; with
 * no successful answer its outcome is unknown. A refused attempt (any error but "lost-leadership") was never
 * executed. Reads count only when answered; "x=1" strings are puts.
 *
 * A simulated client may have several requests in flight (the same read sent to every server, a write still
 * pending after the client gave up on it), so each client's operations are spread over lanes that never overlap,
 * and each lane gets its own client number.
 */
export function kvHistoryFromRequests(requests: readonly RequestRecord[]): SimHistory {
  const writes = new Map<string, Logical>();
  const logical: Logical[] = [];
  for (const r of requests) {
    const raw = r.request.op;
    const op: Parsed = typeof raw === "string" ? parseAssignment(raw) : ((raw ?? {}) as Parsed);
    const result = r.result as { ok?: boolean; value?: string | null; error?: string } | undefined;
    const ok = result?.ok === true && r.replyAt !== undefined;
    if (op.type === "get" && typeof op.key === "string") {
      if (ok) logical.push({ id: r.request.id, name: r.request.client, input: { op: "get", key: op.key }, call: r.invokedAt, return: r.replyAt as number, output: { value: result?.value ?? null } });
      continue;
    }
    if ((op.type !== "put" && op.type !== "append") || typeof op.key !== "string" || typeof op.value !== "string") continue;
    if (result !== undefined && result.ok !== true && result.error !== "lost-leadership") continue;
    const session = op.seq === undefined ? `request:${r.request.id}` : `${r.request.client}:${String(op.seq)}`;
    let w = writes.get(session);
    if (w === undefined) {
      w = { id: r.request.id, name: r.request.client, input: { op: op.type, key: op.key, value: op.value }, call: r.invokedAt, return: Infinity, output: { unknown: true } };
      writes.set(session, w);
      logical.push(w);
    }
    w.call = Math.min(w.call, r.invokedAt);
    if (ok && (r.replyAt as number) < w.return) {
      w.return = r.replyAt as number;
      w.output = {};
    }
  }
  logical.sort((a, b) => a.call - b.call || a.id - b.id);
  const clients: string[] = [];
  const lanes = new Map<string, Array<{ client: number; free: number }>>();
  const operations = logical.map((o): Operation<KvInput, KvOutput> => {
    const mine = lanes.get(o.name) ?? [];
    lanes.set(o.name, mine);
    let lane = mine.find((l) => l.free <= o.call);
    if (lane === undefined) {
      lane = { client: clients.length, free: 0 };
      clients.push(mine.length === 0 ? o.name : `${o.name}#${mine.length + 1}`);
      mine.push(lane);
    }
    lane.free = o.return;
    return { id: o.id, client: lane.client, call: o.call, return: o.return, input: o.input, output: o.output };
  });
  return { operations, clients };
}
