// Reads protocol views tolerantly: each protocol names its fields its own way, and charts must not break on a missing one.

/** A log entry as the charts draw it, whatever shape the protocol stores. */
export interface LogCell {
  readonly index: number;
  /** Term (Raft) or ballot round (Multi-Paxos); undefined when the protocol does not say. */
  readonly term: number | undefined;
  readonly label: string;
  /** Multi-Paxos slots may say themselves whether they are chosen. */
  readonly chosen?: boolean;
}

type Obj = Record<string, unknown>;

/** The value as a plain object, or undefined (arrays and null are not). */
export function asObj(v: unknown): Obj | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

function first(o: Obj | undefined, keys: readonly string[]): unknown {
  if (!o) return undefined;
  for (const k of keys) if (o[k] !== undefined) return o[k];
  return undefined;
}

/** Short text for any value: ballots like {round, node} become "3.1", objects become compact JSON. */
export function short(v: unknown, max = 14): string {
  if (v === undefined || v === null) return "–";
  if (typeof v === "string") return v.length > max ? `${v.slice(0, max - 1)}…` : v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  const o = asObj(v);
  if (o) {
    const round = num(o.round ?? o.n ?? o.number);
    const node = num(o.node ?? o.proposer ?? o.id);
    if (round !== undefined && node !== undefined && Object.keys(o).length <= 3) return `${round}.${node}`;
    const op = o.op ?? o.command ?? o.cmd ?? o.value;
    if (op !== undefined && op !== v) return short(op, max);
  }
  const json = JSON.stringify(v) ?? String(v);
  return json.length > max ? `${json.slice(0, max - 1)}…` : json;
}

export function role(view: unknown): string | undefined {
  const r = first(asObj(view), ["role", "state", "phase"]);
  return typeof r === "string" ? r : undefined;
}

export function term(view: unknown): number | undefined {
  return num(first(asObj(view), ["term", "currentTerm"]));
}

export function votedFor(view: unknown): unknown {
  return first(asObj(view), ["votedFor", "vote"]);
}

export function commitIndex(view: unknown): number | undefined {
  return num(first(asObj(view), ["commitIndex", "commit", "committed"]));
}

/** Entries before this index live in a snapshot (log compaction). */
export function logOffset(view: unknown): number {
  const o = asObj(view);
  const direct = num(first(o, ["snapshotIndex", "logOffset", "logStart", "lastIncludedIndex"]));
  if (direct !== undefined) return direct;
  return num(first(asObj(first(o, ["snapshot"])), ["lastIncludedIndex", "index"])) ?? 0;
}

function entryTerm(e: unknown): number | undefined {
  const o = asObj(e);
  if (!o) return undefined;
  const t = o.term ?? o.ballot ?? o.n;
  if (num(t) !== undefined) return t as number;
  return num(first(asObj(t), ["round", "n", "number"]));
}

function entryLabel(e: unknown): string {
  const o = asObj(e);
  if (!o) return short(e, 10);
  const v = first(o, ["command", "value", "op", "cmd", "data", "v"]);
  if (v === undefined || v === null) return o.noop || o.type === "noop" ? "no-op" : "";
  return short(v, 10);
}

/** The node's log, indexed from 1 after any snapshot; accepts arrays or slot -> entry maps. */
export function logCells(view: unknown): LogCell[] | undefined {
  const o = asObj(view);
  const raw = first(o, ["log", "entries", "slots"]);
  if (raw === undefined) return undefined;
  const offset = logOffset(view);
  // Multi-Paxos replicas publish their applied log by slot from 0, plus slots chosen beyond a hole.
  const ahead = asObj(first(o, ["chosenAhead"]));
  if (ahead && Array.isArray(raw)) {
    const cells: LogCell[] = raw.map((e, i) => ({ index: i, term: entryTerm(e), label: e === null ? "no-op" : entryLabel(e), chosen: true }));
    for (const [k, e] of Object.entries(ahead)) if (Number.isFinite(Number(k))) cells.push({ index: Number(k), term: entryTerm(e), label: e === null ? "no-op" : entryLabel(e), chosen: true });
    return cells.sort((a, b) => a.index - b.index);
  }
  if (Array.isArray(raw)) {
    return raw.map((e, i) => {
      const eo = asObj(e);
      const index = num(eo?.index ?? eo?.slot) ?? offset + i + 1;
      const chosen = typeof eo?.chosen === "boolean" ? eo.chosen : undefined;
      return { index, term: entryTerm(e), label: entryLabel(e), ...(chosen === undefined ? {} : { chosen }) };
    });
  }
  const map = asObj(raw);
  if (!map) return undefined;
  return Object.entries(map)
    .map(([k, e]) => {
      const eo = asObj(e);
      const chosen = typeof eo?.chosen === "boolean" ? eo.chosen : undefined;
      return { index: Number(k), term: entryTerm(e), label: entryLabel(e), ...(chosen === undefined ? {} : { chosen }) };
    })
    .filter((c) => Number.isFinite(c.index))
    .sort((a, b) => a.index - b.index);
}

/** nextIndex/matchIndex as node -> index, from a record or an array of pairs. */
export function indexMap(view: unknown, key: "nextIndex" | "matchIndex"): Map<number, number> {
  const raw = asObj(view)?.[key];
  const out = new Map<number, number>();
  if (Array.isArray(raw)) {
    for (const pair of raw) {
      if (Array.isArray(pair) && num(pair[0]) !== undefined && num(pair[1]) !== undefined) out.set(pair[0] as number, pair[1] as number);
    }
  } else {
    const o = asObj(raw);
    if (o) for (const [k, v] of Object.entries(o)) if (num(v) !== undefined && Number.isFinite(Number(k))) out.set(Number(k), v as number);
  }
  return out;
}

/** Paxos acceptor fields: promised ballot, accepted (ballot, value), chosen value. */
export function paxosAcceptor(view: unknown): { promised: unknown; acceptedN: unknown; acceptedV: unknown; chosen: unknown; slots?: boolean } | undefined {
  const o = asObj(view);
  if (!o) return undefined;
  const acc = asObj(o.acceptor) ?? o;
  const promised = first(acc, ["promised", "promisedN", "promise", "maxPromised"]);
  const accepted = first(acc, ["accepted", "acceptedProposal"]);
  const ao = asObj(accepted);
  // A slot -> (n, v) map (Multi-Paxos): summarise it as the number of slots and the newest one.
  const slots = ao ? Object.keys(ao).filter((k) => Number.isFinite(Number(k))) : [];
  if (ao && slots.length > 0 && slots.length === Object.keys(ao).length) {
    const lastSlot = slots.map(Number).sort((a, b) => a - b)[slots.length - 1] as number;
    const newest = asObj(ao[String(lastSlot)]);
    return { promised: first(acc, ["promised", "promisedN", "promise", "maxPromised"]), acceptedN: `${slots.length} slots, slot ${lastSlot}: ${short(first(newest, ["n", "ballot"]))}`, acceptedV: first(newest, ["v", "value"]), chosen: undefined, slots: true };
  }
  const acceptedN = ao ? first(ao, ["n", "ballot", "number"]) : first(acc, ["acceptedN", "acceptedBallot"]);
  const acceptedV = ao ? first(ao, ["v", "value"]) : first(acc, ["acceptedV", "acceptedValue"]);
  const chosen = first(o, ["chosen", "chosenValue", "learned", "decided"]);
  if (promised === undefined && acceptedN === undefined && acceptedV === undefined && chosen === undefined) return undefined;
  return { promised, acceptedN, acceptedV, chosen };
}

/** A timer that looks like an election (or leader-lease) timeout, which the cluster view draws as a ring. */
export function isElectionTimer(name: string): boolean {
  return /elect|timeout/i.test(name);
}

/** Per-transaction states (two-phase commit): "t1: prepared". Undefined when the view has none. */
export function transactionStates(view: unknown): string | undefined {
  const map = asObj(first(asObj(view), ["txns", "transactions", "decisions"]));
  if (!map) return undefined;
  const parts = Object.entries(map).map(([k, v]) => `${k}: ${short(asObj(v) ? first(asObj(v), ["state", "status", "decision", "vote"]) ?? v : v, 10)}`);
  return parts.length ? parts.join(", ") : undefined;
}
