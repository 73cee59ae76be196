// Lesson 11's client history under the player: the linearizability verdict for the run on screen (forks included), and the slot for the history chart.

import type { RequestRecord, TraceEvent } from "@course/sim";
import { checkLinearizable, describeOperation, kvHistoryFromRequests, kvModel, type CheckResult, type KvInput, type KvOutput, type Operation } from "@course/check";
import { historyChart, READER_CONTROL_CLIENT, type PlayerExtra } from "@course/viz";

type KvOperation = Operation<KvInput, KvOutput>;

/** A deterministic bound on the search (states visited), as lesson 11's own check uses, so every browser gives the same verdict. */
const MAX_EXPLORED = 2_000_000;

/** The requests of a run, rebuilt from its trace (so a recorded run and a fork are judged exactly like the original). */
export function requestsOf(events: readonly TraceEvent[]): RequestRecord[] {
  const byId = new Map<number, RequestRecord>();
  for (const e of events) {
    if (e.kind === "client-request" && e.request.client !== READER_CONTROL_CLIENT && !byId.has(e.request.id)) byId.set(e.request.id, { request: e.request, node: e.node, invokedAt: e.time });
    else if (e.kind === "client-reply") {
      const r = byId.get(e.requestId);
      if (r && r.replyAt === undefined) {
        r.replyAt = e.time;
        r.result = e.result;
      }
    }
  }
  return [...byId.values()];
}

const okResult = (r: RequestRecord) => (r.result as { ok?: boolean } | undefined)?.ok === true;

/**
 * A client does one operation at a time and repeats it until it gets an answer, so its attempts of one call are
 * the same operation sent again. Tag each attempt with its call, as the lesson's own check does, so a retry the
 * servers executed twice counts as one operation that took effect twice, with or without session numbers.
 */
export function tagCalls(requests: readonly RequestRecord[]): RequestRecord[] {
  const byClient = new Map<string, RequestRecord[]>();
  for (const r of requests) {
    const list = byClient.get(r.request.client);
    if (list) list.push(r);
    else byClient.set(r.request.client, [r]);
  }
  const callOf = new Map<number, string>();
  for (const [client, attempts] of byClient) {
    attempts.sort((a, b) => a.invokedAt - b.invokedAt || a.request.id - b.request.id);
    let call = -1;
    let prevOp: string | undefined;
    let doneAt = Infinity;
    for (const r of attempts) {
      const op = JSON.stringify(r.request.op);
      // A different operation, or the same one after the last call got its answer: a new call.
      if (op !== prevOp || doneAt <= r.invokedAt) {
        call++;
        doneAt = Infinity;
      }
      callOf.set(r.request.id, `${client}#${call}`);
      if (okResult(r) && r.replyAt !== undefined) doneAt = Math.min(doneAt, r.replyAt);
      prevOp = op;
    }
  }
  return requests.map((r) => {
    const op = r.request.op;
    const call = callOf.get(r.request.id);
    if (call === undefined || typeof op !== "object" || op === null) return r;
    return { ...r, request: { ...r.request, op: { ...op, seq: call } } };
  });
}

export interface Verdict {
  readonly operations: readonly KvOperation[];
  /** Client names by the operations' client numbers. */
  readonly clients: readonly string[];
  readonly result: CheckResult<KvInput, KvOutput>;
}

/** The linearizability verdict on a run's client history. */
export function verdictOf(events: readonly TraceEvent[]): Verdict {
  const { operations, clients } = kvHistoryFromRequests(tagCalls(requestsOf(events)));
  return { operations, clients, result: checkLinearizable(kvModel, operations, { maxExplored: MAX_EXPLORED }) };
}

const describeOp = (o: KvOperation) => `${describeOperation(kvModel, o)} (${Math.round(o.call)}–${Number.isFinite(o.return) ? `${Math.round(o.return)} ms` : "no answer"})`;

/** The player extra: the verdict in words, the history chart, and on a violation the operations that cannot be ordered. */
export function historyExtra(): PlayerExtra {
  let cached: { events: readonly TraceEvent[]; length: number; verdict: Verdict } | undefined;
  return {
    id: "history",
    title: "The clients' history and the linearizability verdict",
    perRun: true,
    applies: (events) => events.some((e) => e.kind === "client-request" && e.request.client !== READER_CONTROL_CLIENT),
    render(ctx) {
      if (!cached || cached.events !== ctx.events || cached.length !== ctx.events.length) cached = { events: ctx.events, length: ctx.events.length, verdict: verdictOf(ctx.events) };
      const { operations, clients, result } = cached.verdict;
      const box = document.createElement("div");
      box.className = "history-slot";
      const p = document.createElement("p");
      p.className = `verdict${result.verdict === "ok" ? "" : " bad"}`;
      const keys = new Set(operations.map((o) => o.input.key)).size;
      const bad = result.illegalOperations ?? [];
      const key = bad[0]?.input.key ?? "?";
      p.textContent =
        result.verdict === "ok"
          ? `Linearizable: one order of all ${operations.length} operations on ${keys} key${keys === 1 ? "" : "s"}, consistent with real time, explains every answer the clients got in this run.`
          : result.verdict === "unknown"
            ? `Undecided: the checker stopped after ${MAX_EXPLORED.toLocaleString("en-US")} search states without finding an order or ruling one out.`
            : `Not linearizable: no order of the ${bad.length} operations on key ${key} explains what the clients saw.`;
      box.append(p);
      // Operations over time, one lane per client; on a violation, the longest valid order and the stuck operations.
      const slot = document.createElement("div");
      slot.dataset.slot = "history-chart";
      slot.append(historyChart(operations, result, { width: ctx.width, clients, describe: (o) => describeOperation(kvModel, o) }));
      box.append(slot);
      if (result.verdict === "illegal" && bad.length > 0) {
        const h = document.createElement("p");
        h.textContent = `The operations on ${key} that cannot be put in any order:`;
        const ul = document.createElement("ul");
        ul.className = "unordered-ops";
        for (const o of bad.slice(0, 20)) {
          const li = document.createElement("li");
          li.textContent = describeOp(o);
          ul.append(li);
        }
        box.append(h, ul);
      }
      return box;
    },
  };
}
