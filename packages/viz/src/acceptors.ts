// Paxos acceptor table: each acceptor's promised ballot and accepted (ballot, value), how they changed, and the chosen value.

import type { NodeId, TraceEvent } from "@course/sim";
import { countThroughStep, nodesOf } from "./model.js";
import { nodeName } from "./palette.js";
import { paxosAcceptor, short } from "./views.js";

export interface AcceptorTableOptions {
  readonly width?: number;
  readonly step?: number;
  readonly nodes?: readonly NodeId[];
  /** How many earlier (promised, accepted) states to list per acceptor. */
  readonly history?: number;
}

interface Row {
  promised: string;
  accepted: string;
  chosen: string | undefined;
  history: string[];
  down: boolean;
}

/** True when the trace has Paxos acceptor state to show. */
export function traceHasAcceptors(events: readonly TraceEvent[]): boolean {
  for (const e of events) if (e.kind === "state" && paxosAcceptor(e.view) !== undefined) return true;
  return false;
}

interface RowChange extends Row {
  readonly step: number;
}

/** Per trace, each acceptor's rows in step order: worked out once, looked up per frame. */
const changesCache = new WeakMap<readonly TraceEvent[], { length: number; byNode: Map<NodeId, RowChange[]>; multiSlot: boolean }>();

function acceptorChanges(events: readonly TraceEvent[], keep: number): { byNode: Map<NodeId, RowChange[]>; multiSlot: boolean } {
  const cached = changesCache.get(events);
  // A simulation's trace array grows when the run is extended: rebuild then.
  if (cached && cached.length === events.length) return cached;
  const byNode = new Map<NodeId, RowChange[]>();
  let multiSlot = false;
  const push = (id: NodeId, row: RowChange) => {
    const list = byNode.get(id);
    if (list) list.push(row);
    else byNode.set(id, [row]);
  };
  const latest = (id: NodeId) => byNode.get(id)?.at(-1);
  for (const e of events) {
    if (e.kind === "crash" || e.kind === "restart") {
      const r = latest(e.node);
      if (r) push(e.node, { ...r, down: e.kind === "crash", step: e.step });
      continue;
    }
    if (e.kind !== "state") continue;
    const a = paxosAcceptor(e.view);
    if (!a) continue;
    const promised = short(a.promised);
    if (a.slots) multiSlot = true;
    const accepted = a.acceptedN === undefined || a.acceptedN === null ? "–" : a.slots ? `${String(a.acceptedN)} = ${short(a.acceptedV)}` : `(${short(a.acceptedN)}, ${short(a.acceptedV)})`;
    const chosen = a.chosen === undefined || a.chosen === null ? undefined : short(a.chosen, 18);
    const r = latest(e.node);
    const history = r && (r.promised !== promised || r.accepted !== accepted) ? [...r.history, `${r.promised} / ${r.accepted}`].slice(-keep) : r?.history ?? [];
    push(e.node, { promised, accepted, chosen, history, down: false, step: e.step });
  }
  const out = { length: events.length, byNode, multiSlot };
  changesCache.set(events, out);
  return out;
}

export function acceptorTable(events: readonly TraceEvent[], options: AcceptorTableOptions = {}): HTMLElement {
  const nodes = options.nodes ?? nodesOf(events);
  const step = options.step ?? (events.length ? (events[events.length - 1] as TraceEvent).step : 0);
  const { byNode, multiSlot } = acceptorChanges(events, options.history ?? 4);
  const rows = new Map<NodeId, Row>();
  for (const [id, changes] of byNode) {
    const n = countThroughStep(changes, step);
    if (n > 0) rows.set(id, changes[n - 1] as RowChange);
  }
  const doc = globalThis.document;
  const wrap = doc.createElement("div");
  wrap.className = "chart acceptor-table";
  const chosenValues = [...new Set([...rows.values()].map((r) => r.chosen).filter((c): c is string => c !== undefined))];
  const caption = doc.createElement("p");
  caption.className = "chosen";
  caption.textContent = multiSlot ? "One Paxos instance per slot: the chosen commands are in the log grid above." : chosenValues.length === 0 ? "No value chosen yet." : chosenValues.length === 1 ? `Chosen value: ${chosenValues[0]}` : `Different values chosen: ${chosenValues.join(", ")} (a safety violation)`;
  if (chosenValues.length > 1) caption.classList.add("bad");
  const table = doc.createElement("table");
  table.innerHTML = multiSlot
    ? "<thead><tr><th scope='col'>server</th><th scope='col'>promised n</th><th scope='col'>accepted slots (newest)</th></tr></thead>"
    : "<thead><tr><th scope='col'>server</th><th scope='col'>promised n</th><th scope='col'>accepted (n, v)</th><th scope='col'>learned</th><th scope='col'>earlier</th></tr></thead>";
  const body = doc.createElement("tbody");
  for (const id of nodes) {
    const r = rows.get(id);
    if (!r) continue;
    const tr = doc.createElement("tr");
    tr.className = `acceptor${r.down ? " down" : ""}`;
    tr.dataset.node = String(id);
    const name = nodeName(id) + (r.down ? " (crashed)" : "");
    const cells = multiSlot ? [name, r.promised, r.accepted] : [name, r.promised, r.accepted, r.chosen ?? "–", r.history.slice().reverse().join(" ← ")];
    for (const text of cells) {
      const td = doc.createElement("td");
      td.textContent = text;
      tr.append(td);
    }
    body.append(tr);
  }
  table.append(body);
  wrap.append(caption, table);
  return wrap;
}
