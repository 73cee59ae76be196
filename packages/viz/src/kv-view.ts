// The key-value store: each server's copy of the data, and what each client is doing, at the player's step.

import type { NodeId, TraceEvent } from "@course/sim";
import type { ClusterSnapshot } from "./model.js";
import { READER_CONTROL_CLIENT } from "./outcome.js";
import { nodeName } from "./palette.js";
import { commandText } from "./words.js";
import { asObj, short } from "./views.js";
import { el as element } from "./dom.js";

/** An element with a class and, optionally, text. */
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, text?: string) => element(tag, cls ? { class: cls } : {}, ...(text === undefined ? [] : [text]));

type Obj = Record<string, unknown>;

/** True when some server's view carries key-value data. */
export function traceHasKv(events: readonly TraceEvent[]): boolean {
  for (const e of events) if (e.kind === "state") {
    const kv = asObj(asObj(e.view)?.kv);
    if (kv && Object.keys(kv).length > 0) return true;
  }
  return false;
}

/** A table: one row per server, one column per key, the value that server's state machine holds. */
export function kvTable(snap: ClusterSnapshot, nodes: readonly NodeId[]): HTMLElement {
  const stores = nodes.map((id) => {
    const n = snap.nodes.get(id);
    const v = asObj(n?.view);
    return { id, status: n?.status ?? "up", kv: n?.status === "crashed" ? undefined : asObj(v?.kv), applied: v?.lastApplied };
  });
  const keys = [...new Set(stores.flatMap((s) => Object.keys(s.kv ?? {})))].sort();
  const wrap = el("div", "chart kv-table");
  const table = el("table", "");
  const head = el("tr", "");
  for (const h of ["server", "applied up to", ...keys.map((k) => `key ${k}`)]) {
    const th = el("th", "", h);
    th.scope = "col";
    head.append(th);
  }
  const thead = el("thead", "");
  thead.append(head);
  const body = el("tbody", "");
  for (const s of stores) {
    const tr = el("tr", s.status === "crashed" ? "down" : "");
    tr.dataset.node = String(s.id);
    const name = el("th", "", `${nodeName(s.id)}${s.status === "crashed" ? " (crashed)" : ""}`);
    name.scope = "row";
    tr.append(name, el("td", "", s.kv === undefined ? "–" : `index ${String(s.applied ?? "?")}`));
    for (const k of keys) {
      const value = s.kv?.[k];
      const td = el("td", "kv-value", value === undefined ? "–" : short(value, 16));
      if (typeof value === "string" && value.length > 16) {
        td.dataset.info = `${nodeName(s.id)}: ${k} = ${value}`;
        td.title = value;
      }
      tr.append(td);
    }
    body.append(tr);
  }
  table.append(thead, body);
  wrap.append(table);
  return wrap;
}

interface ClientState {
  pending?: { op: unknown; node: NodeId; tries: number; since: number };
  last?: { op: unknown; result: unknown; node: NodeId; at: number };
  done: number;
}

function resultText(result: unknown): string {
  const r = asObj(result);
  if (!r) return short(result, 24);
  if (r.ok === false || r.error !== undefined) return `refused (${String(r.error ?? "error")}${typeof r.leaderHint === "number" ? `, try ${nodeName(r.leaderHint)}` : ""})`;
  if ("value" in r) return r.value === null ? "ok: no such key" : `ok: ${short(r.value, 20)}`;
  return "ok";
}

interface ClientEvent {
  readonly step: number;
  readonly time: number;
  readonly request?: { readonly id: number; readonly client: string; readonly op: unknown; readonly key: string; readonly node: NodeId };
  readonly reply?: { readonly requestId: number; readonly node: NodeId; readonly result: unknown };
}

/** The client events of a trace, worked out once per trace (a long run has many more events than client ones). */
const clientEventsCache = new WeakMap<readonly TraceEvent[], { length: number; list: ClientEvent[] }>();

function clientEvents(events: readonly TraceEvent[]): ClientEvent[] {
  const cached = clientEventsCache.get(events);
  if (cached && cached.length === events.length) return cached.list;
  const list: ClientEvent[] = [];
  for (const e of events) {
    if (e.kind === "client-request" && e.request.client !== READER_CONTROL_CLIENT) list.push({ step: e.step, time: e.time, request: { id: e.request.id, client: e.request.client, op: e.request.op, key: JSON.stringify(e.request.op), node: e.node } });
    else if (e.kind === "client-reply") list.push({ step: e.step, time: e.time, reply: { requestId: e.requestId, node: e.node, result: e.result } });
  }
  clientEventsCache.set(events, { length: events.length, list });
  return list;
}

/** One line per client: what it is waiting for and from whom, or the last answer it got. */
export function clientList(events: readonly TraceEvent[], step: number): HTMLElement {
  const clients = new Map<string, ClientState & { pendingKey?: string }>();
  const opById = new Map<number, { client: string; op: unknown; key: string }>();
  for (const e of clientEvents(events)) {
    if (e.step > step) break;
    if (e.request) {
      const r = e.request;
      const c = clients.get(r.client) ?? { done: 0 };
      const same = c.pending !== undefined && c.pendingKey === r.key;
      c.pending = { op: r.op, node: r.node, tries: same ? (c.pending?.tries ?? 0) + 1 : 1, since: same ? (c.pending?.since ?? e.time) : e.time };
      c.pendingKey = r.key;
      clients.set(r.client, c);
      opById.set(r.id, { client: r.client, op: r.op, key: r.key });
    } else if (e.reply) {
      const req = opById.get(e.reply.requestId);
      const c = req ? clients.get(req.client) : undefined;
      if (!req || !c) continue;
      c.last = { op: req.op, result: e.reply.result, node: e.reply.node, at: e.time };
      const ok = asObj(e.reply.result)?.ok !== false && asObj(e.reply.result)?.error === undefined;
      if (ok && c.pending && c.pendingKey === req.key) {
        c.pending = undefined;
        c.done++;
      }
    }
  }
  const list = el("ul", "chart client-list");
  if (clients.size === 0) list.append(el("li", "quiet", "No client has sent anything yet."));
  for (const [name, c] of [...clients].sort(([a], [b]) => a.localeCompare(b))) {
    const li = el("li", c.pending ? "waiting" : "idle");
    li.dataset.client = name;
    const who = el("strong", "", name);
    li.append(who);
    if (c.pending) li.append(` waits for ${nodeName(c.pending.node)}: ${commandText(c.pending.op)}${c.pending.tries > 1 ? ` (try ${c.pending.tries})` : ""}.`);
    else li.append(" is idle.");
    if (c.last) li.append(` Last answer, from ${nodeName(c.last.node)} at ${Math.round(c.last.at)} ms: ${resultText(c.last.result)}.`);
    li.append(` ${c.done} operation${c.done === 1 ? "" : "s"} done.`);
    list.append(li);
  }
  return list;
}

/** True when several named clients use the store (lesson 11): then the clients and each server's data are worth a chart. */
export function traceHasClients(events: readonly TraceEvent[]): boolean {
  const clients = new Set<string>();
  for (const e of events) if (e.kind === "client-request" && e.request.client !== READER_CONTROL_CLIENT && e.request.client !== "you") clients.add(e.request.client);
  return clients.size > 1 && traceHasKv(events);
}
