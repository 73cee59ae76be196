// How a run ends, in plain words, read from its trace alone: the same sentence for a scenario's run and for a reader's fork.

import type { NodeId, TraceEvent } from "@course/sim";
import { snapshotAt } from "./model.js";
import { nodeName } from "./palette.js";
import { commandText } from "./words.js";
import { asObj, commitIndex, logCells, role, short, term } from "./views.js";

type Obj = Record<string, unknown>;

/** Client requests the player itself sends to drive a node (see fork.ts); they are not part of any client's history. */
export const READER_CONTROL_CLIENT = "you (controls)";

const list = (ids: readonly NodeId[]) => (ids.length === 1 ? nodeName(ids[0] as NodeId) : `${ids.slice(0, -1).map(nodeName).join(", ")} and ${nodeName(ids[ids.length - 1] as NodeId)}`);

/** One or two sentences: the decision or leader the run ended with, who is down, and what the clients got. */
export function outcomeText(events: readonly TraceEvent[], nodes: readonly NodeId[]): string {
  if (events.length === 0) return "Nothing has happened yet.";
  const last = events[events.length - 1] as TraceEvent;
  const snap = snapshotAt(events, last.step, nodes);
  const parts: string[] = [];
  const violation = events.find((e) => e.kind === "violation");
  if (violation && violation.kind === "violation") parts.push(`An invariant broke at ${Math.round(violation.time)} ms (${violation.checker}), and the run stopped there.`);
  const up = nodes.filter((id) => snap.nodes.get(id)?.status !== "crashed");
  const views = new Map(up.map((id) => [id, snap.nodes.get(id)?.view]));
  const sentence = protocolSentence(views);
  if (sentence) parts.push(sentence);
  const down = nodes.filter((id) => snap.nodes.get(id)?.status === "crashed");
  const paused = nodes.filter((id) => snap.nodes.get(id)?.status === "paused");
  if (down.length) parts.push(`${list(down)} ${down.length === 1 ? "is" : "are"} down at the end.`);
  if (paused.length) parts.push(`${list(paused)} ${paused.length === 1 ? "is" : "are"} paused at the end.`);
  const clients = clientCounts(events);
  if (clients.sent > 0) parts.push(`Clients sent ${clients.sent} request${clients.sent === 1 ? "" : "s"}; ${clients.answered} got an answer${clients.ok < clients.answered ? ` (${clients.answered - clients.ok} of them a refusal such as "not the leader")` : ""}.`);
  parts.push(`The run lasts ${Math.round(last.time)} ms of simulated time.`);
  return parts.join(" ");
}

function clientCounts(events: readonly TraceEvent[]): { sent: number; answered: number; ok: number } {
  let sent = 0;
  let answered = 0;
  let ok = 0;
  for (const e of events) {
    if (e.kind === "client-request" && e.request.client !== READER_CONTROL_CLIENT) sent++;
    else if (e.kind === "client-reply" && e.client !== READER_CONTROL_CLIENT) {
      answered++;
      const r = asObj(e.result);
      if (!r || (r.ok !== false && r.error === undefined)) ok++;
    }
  }
  return { sent, answered, ok };
}

/** The protocol's own end state, recognised from the shape of the views. */
function protocolSentence(views: ReadonlyMap<NodeId, unknown>): string | undefined {
  const entries = [...views].filter(([, v]) => v !== undefined);
  if (entries.length === 0) return "Every server is down.";
  const any = (pred: (v: Obj) => boolean) => entries.some(([, v]) => asObj(v) !== undefined && pred(asObj(v) as Obj));
  if (any((v) => v.decisions !== undefined || v.txns !== undefined)) return twoPhaseCommit(entries);
  if (any((v) => v.chosenAhead !== undefined)) return multiPaxos(entries);
  if (any((v) => "learned" in v || "promised" in v)) return basicPaxos(entries);
  if (any((v) => v.term !== undefined && v.log !== undefined)) return raft(entries);
  return undefined;
}

function raft(entries: ReadonlyArray<[NodeId, unknown]>): string {
  const leaders = entries.filter(([, v]) => role(v) === "leader").sort((a, b) => (term(b[1]) ?? 0) - (term(a[1]) ?? 0));
  const maxTerm = Math.max(0, ...entries.map(([, v]) => term(v) ?? 0));
  const lead = leaders[0];
  const head = lead ? `${nodeName(lead[0])} leads term ${term(lead[1]) ?? "?"}.` : maxTerm > 0 ? `No server leads at the end (the highest term is ${maxTerm}).` : "No election has happened.";
  const commits = entries.map(([id, v]) => [id, commitIndex(v) ?? 0] as const);
  const top = Math.max(0, ...commits.map(([, c]) => c));
  let text = head;
  if (top > 0) {
    const at = commits.filter(([, c]) => c === top).map(([id]) => id);
    text += ` Log entries up to index ${top} are committed (${at.length === entries.length ? "on every live server" : `known on ${list(at)}`}).`;
  } else text += " No log entry is committed yet.";
  const kv = asObj(asObj(lead?.[1] ?? entries[0]?.[1])?.kv);
  if (kv && Object.keys(kv).length > 0) {
    const pairs = Object.entries(kv).map(([k, v]) => `${k} = ${short(v, 18)}`);
    text += ` The store holds ${pairs.slice(0, 4).join(", ")}${pairs.length > 4 ? ", …" : ""}.`;
  }
  return text;
}

function basicPaxos(entries: ReadonlyArray<[NodeId, unknown]>): string {
  const learned = entries.map(([id, v]) => [id, asObj(v)?.learned] as const).filter(([, l]) => l !== undefined && l !== null);
  const values = [...new Set(learned.map(([, l]) => commandText(l)))];
  if (values.length === 0) return "No value has been chosen yet.";
  if (values.length > 1) return `Different servers learned different values (${values.join(", ")}): two values were chosen.`;
  return `The value ${values[0]} is chosen; ${learned.length} of ${entries.length} live servers have learned it.`;
}

function multiPaxos(entries: ReadonlyArray<[NodeId, unknown]>): string {
  const leader = entries.find(([, v]) => role(v) === "leader");
  const longest = entries.map(([id, v]) => [id, logCells(v) ?? []] as const).sort((a, b) => b[1].length - a[1].length)[0];
  const slots = longest?.[1] ?? [];
  const head = leader ? `${nodeName(leader[0])} leads.` : "No server leads at the end.";
  if (slots.length === 0) return `${head} No slot is chosen yet.`;
  return `${head} Chosen commands by slot: ${slots.slice(0, 8).map((c) => c.label || "no-op").join(", ")}${slots.length > 8 ? ", …" : ""}.`;
}

function twoPhaseCommit(entries: ReadonlyArray<[NodeId, unknown]>): string {
  const parts: string[] = [];
  for (const [id, v] of entries) {
    const o = asObj(v);
    const d = asObj(o?.decisions);
    if (d) for (const [txn, decision] of Object.entries(d)) parts.push(`the coordinator ${nodeName(id)} decided ${String(decision)} for ${txn}`);
  }
  const states = new Map<string, Map<string, NodeId[]>>();
  for (const [id, v] of entries) {
    const t = asObj(asObj(v)?.txns);
    if (!t) continue;
    for (const [txn, s] of Object.entries(t)) {
      const byState = states.get(txn) ?? new Map<string, NodeId[]>();
      const key = String(s);
      byState.set(key, [...(byState.get(key) ?? []), id]);
      states.set(txn, byState);
    }
  }
  for (const [txn, byState] of states) {
    const desc = [...byState].map(([s, ids]) => `${s} at ${list(ids)}${s === "prepared" ? " (waiting for the decision)" : ""}`).join("; ");
    parts.push(`${txn} is ${desc}`);
  }
  if (parts.length === 0) return "No transaction has started.";
  const text = parts.join(". ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}
