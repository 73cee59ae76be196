// Messages and server state in words for the inspector panels: what a message type is for, and each field with a readable name.

import type { Message } from "@course/sim";
import { nodeName } from "./palette.js";
import { asObj, short } from "./views.js";

/** One line per message type saying what it asks or tells. */
const MEANING: Record<string, string> = {
  RequestVote: "A candidate asks for this server's vote in its term (Raft §5.2).",
  RequestVoteReply: "The answer to a vote request: granted or not.",
  PreVote: "A would-be candidate asks whether it could win, before it changes its term (PreVote, thesis §9.6).",
  PreVoteReply: "The answer to a pre-vote: would this server vote for it?",
  AppendEntries: "The leader sends log entries to copy, or none as a heartbeat, with the entry they must follow (Raft §5.3).",
  AppendEntriesReply: "A follower says whether its log matched and how far it now agrees with the leader.",
  InstallSnapshot: "The leader sends its snapshot to a follower that lags behind its log (Raft §7).",
  InstallSnapshotReply: "A follower confirms the snapshot it installed.",
  TimeoutNow: "The leader hands over: start an election now (leadership transfer, thesis §3.10).",
  prepare: "Phase 1: promise to ignore proposals numbered below n (or, in two-phase commit: can you commit this transaction?).",
  promise: "Phase 1 answer: a promise for n, with the highest-numbered proposal this acceptor has accepted.",
  accept: "Phase 2: accept this value under proposal number n.",
  accepted: "Phase 2 answer: the acceptor accepted the value under n; learners count these.",
  nack: "A refusal: the acceptor has promised a higher number.",
  heartbeat: "The leader says it is still there, and how far the log is applied.",
  status: "A replica says how far it has applied the log, or a coordinator answers an in-doubt participant.",
  catchup: "A lagging replica asks for chosen values it missed.",
  chosen: "Chosen values sent to a replica that lags behind.",
  forward: "A client command passed on to the leader.",
  vote: "A participant's vote: yes (prepared to commit) or no.",
  decision: "The coordinator's decision for the transaction: commit or abort.",
  ack: "A participant confirms it applied the decision.",
  "status-query": "A prepared participant that heard no decision asks the coordinator for it.",
};

export function messageMeaning(type: string): string | undefined {
  return MEANING[type];
}

const FIELD_NAMES: Record<string, string> = {
  term: "term",
  candidateId: "candidate",
  lastLogIndex: "candidate's last log index",
  lastLogTerm: "candidate's last log term",
  transfer: "asked for by a leadership transfer",
  voteGranted: "vote granted",
  leaderId: "leader",
  prevLogIndex: "entries follow index",
  prevLogTerm: "which has term",
  entries: "entries",
  leaderCommit: "leader's commit index",
  readSeq: "read confirmation round",
  success: "log matched",
  matchIndex: "agrees with the leader up to index",
  conflictIndex: "first index of the conflicting term",
  conflictTerm: "conflicting term",
  appended: "entries the request carried",
  snapshot: "snapshot",
  n: "proposal number",
  v: "value",
  accepted: "accepted before",
  phase: "refused phase",
  promised: "promised number",
  from: "from slot",
  slot: "slot",
  applied: "applied below slot",
  gcBelow: "every replica has applied below slot",
  requestId: "client request",
  command: "command",
  txn: "transaction",
  yes: "votes yes",
  decision: "decision",
};

const NODE_FIELDS = new Set(["candidateId", "leaderId", "leaderHint", "node", "to", "votedFor"]);

/** "lastIncludedIndex" -> "last included index". */
export function humanize(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/[-_]/g, " ").toLowerCase();
}

type Obj = Record<string, unknown>;

/** A log entry or command as a short phrase: "5: x=1 (term 3)", "no-op", "config S1 S2 S3". */
export function commandText(c: unknown): string {
  if (c === null) return "no-op";
  if (typeof c === "string") return c;
  const o = asObj(c);
  if (!o) return short(c, 24);
  if (o.kind === "noop") return "no-op";
  if (o.kind === "config" && Array.isArray(o.members)) return `configuration ${o.members.map((m) => nodeName(m as number)).join(" ")}`;
  const op = asObj(o.op);
  if (op && typeof op.key === "string") {
    const verb = op.type === "append" ? "+=" : op.type === "get" ? "get" : "=";
    const text = verb === "get" ? `get ${op.key}` : `${op.key}${verb}${String(op.value)}`;
    return typeof o.client === "string" ? `${text} (client ${o.client}${o.seq === undefined ? "" : ` #${String(o.seq)}`})` : text;
  }
  return short(c, 24);
}

function entryText(e: unknown): string {
  const o = asObj(e);
  if (!o) return short(e, 24);
  const body = commandText(o.command ?? o.value ?? o.v ?? null);
  return `${o.index ?? "?"}: ${body}${o.term === undefined ? "" : ` (term ${String(o.term)})`}`;
}

/** A value in words, given the field it sits in. */
export function valueText(key: string, v: unknown): string {
  if (v === undefined) return "–";
  if (v === null) return key === "votedFor" ? "nobody" : "none";
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (NODE_FIELDS.has(key) && typeof v === "number") return nodeName(v);
  if (key === "entries" && Array.isArray(v)) {
    if (v.length === 0) return "none (a heartbeat)";
    // Multi-Paxos "chosen" sends [slot, command] pairs; Raft sends log entries.
    const parts = v.map((e) => (Array.isArray(e) ? `slot ${String(e[0])}: ${commandText(e[1])}` : entryText(e)));
    return `${v.length}: ${parts.slice(0, 6).join(", ")}${v.length > 6 ? ", …" : ""}`;
  }
  if (key === "accepted" && Array.isArray(v)) {
    if (v.length === 0) return "nothing";
    return v.map((p) => (Array.isArray(p) ? `slot ${String(p[0])}: ${valueText("accepted", p[1])}` : short(p, 20))).join(", ");
  }
  if (key === "snapshot") {
    const s = asObj(v);
    if (s && s.lastIncludedIndex !== undefined) return `up to index ${String(s.lastIncludedIndex)} (term ${String(s.lastIncludedTerm)})${Array.isArray(s.members) ? `, members ${s.members.map((m) => nodeName(m as number)).join(" ")}` : ""}`;
  }
  if (key === "members" || key === "learners") return Array.isArray(v) ? (v.length ? v.map((m) => (typeof m === "number" ? nodeName(m) : short(m))).join(" ") : "none") : short(v);
  const o = asObj(v);
  if (o && o.n !== undefined && (o.v !== undefined || "v" in o)) return `${short(o.n)} with ${commandText(o.v)}`;
  if (key === "command" || key === "v" || key === "value") return commandText(v);
  return short(v, 40);
}

/** Every field of a message except its type, in the order the message lists them, named in words. */
export function messageFields(msg: Message): Array<[label: string, value: string]> {
  return Object.entries(msg as unknown as Obj)
    .filter(([k]) => k !== "type")
    .map(([k, v]) => [FIELD_NAMES[k] ?? humanize(k), valueText(k, v)]);
}

/** Fields the panels show elsewhere (the log grid, the peer table, the key-value table, the timers). */
const SHOWN_ELSEWHERE = new Set(["id", "log", "nextIndex", "matchIndex", "kv", "electionDeadline", "entries", "slots", "chosenAhead"]);

const STATE_NAMES: Record<string, string> = {
  role: "role",
  term: "current term",
  votedFor: "voted for (this term)",
  leaderId: "believes the leader is",
  commitIndex: "commit index",
  lastApplied: "applied up to index",
  snapshotIndex: "snapshot covers up to index",
  snapshotTerm: "snapshot's last term",
  members: "configuration it uses",
  learners: "learners (copy the log, do not vote)",
  promised: "promised proposal number",
  accepted: "accepted (number, value)",
  learned: "learned value",
  proposer: "as proposer",
  phase: "phase",
  ballot: "proposal number",
  txns: "transactions",
  decisions: "decisions",
};

/** A server's view as labelled lines, leaving out what other panels draw. */
export function stateFields(view: unknown): Array<[label: string, value: string]> {
  const o = asObj(view);
  if (!o) return [];
  const out: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(o)) {
    if (SHOWN_ELSEWHERE.has(k)) continue;
    const label = STATE_NAMES[k] ?? humanize(k);
    const inner = asObj(v);
    if (k === "proposer" && inner) {
      out.push([label, `${inner.phase ?? "?"} with n=${short(inner.ballot)}${inner.value === undefined || inner.value === null ? "" : `, value ${commandText(inner.value)}`}${Array.isArray(inner.promises) ? `, promises from ${inner.promises.map((p) => nodeName(p as number)).join(" ") || "nobody yet"}` : ""}`]);
    } else if ((k === "txns" || k === "decisions") && inner) {
      out.push([label, Object.entries(inner).map(([t, s]) => `${t}: ${short(asObj(s) ? (asObj(s)?.state ?? asObj(s)?.decision ?? s) : s, 14)}`).join(", ") || "none"]);
    } else if (k === "accepted" && inner && inner.n !== undefined) {
      out.push([label, `(${short(inner.n)}, ${commandText(inner.v)})`]);
    } else out.push([label, valueText(k, v)]);
  }
  return out;
}
