// The sandbox: any protocol, 3 to 9 nodes, a network and a fault rate of the reader's choosing, run in the player.

import { randomFaults, Simulation, type Hook, type Message, type NodeFactory, type NodeId } from "@course/sim";
import { createRaftNode } from "@course/raft";
import { createMultiPaxosNode, createPaxosNode } from "@course/paxos";
import { raftInvariants } from "@course/check";
import { createPlayer, type Player, type PlayerScenario } from "@course/viz";

export interface SandboxSettings {
  protocol: "raft" | "raft-prevote" | "paxos" | "multi-paxos";
  nodes: number;
  latencyMin: number;
  latencyMax: number;
  /** Percentages, 0-100. */
  drop: number;
  duplicate: number;
  /** Faults per simulated second (crashes and partitions together). */
  faultRate: number;
  durationMs: number;
  seed: number;
}

export const DEFAULTS: SandboxSettings = { protocol: "raft", nodes: 5, latencyMin: 2, latencyMax: 12, drop: 0, duplicate: 0, faultRate: 1, durationMs: 3000, seed: 1 };

const PROTOCOLS: Record<SandboxSettings["protocol"], string> = {
  raft: "Raft",
  "raft-prevote": "Raft with PreVote and CheckQuorum",
  paxos: "Basic Paxos (two proposers compete)",
  "multi-paxos": "Multi-Paxos",
};

function clamp(v: number, lo: number, hi: number): number {
  return Number.isFinite(v) ? Math.max(lo, Math.min(hi, v)) : lo;
}

/** Settings from the query string, clamped to what the sandbox supports. */
export function readSettings(search: string): SandboxSettings {
  const p = new URLSearchParams(search);
  const n = (k: string, d: number) => (p.has(k) ? Number(p.get(k)) : d);
  const protocol = p.get("protocol");
  return {
    protocol: protocol === "paxos" || protocol === "raft-prevote" || protocol === "multi-paxos" ? protocol : "raft",
    nodes: Math.round(clamp(n("nodes", DEFAULTS.nodes), 3, 9)),
    latencyMin: clamp(n("latMin", DEFAULTS.latencyMin), 0, 500),
    latencyMax: clamp(n("latMax", DEFAULTS.latencyMax), 0, 1000),
    drop: clamp(n("drop", DEFAULTS.drop), 0, 100),
    duplicate: clamp(n("dup", DEFAULTS.duplicate), 0, 100),
    faultRate: clamp(n("rate", DEFAULTS.faultRate), 0, 20),
    durationMs: clamp(n("duration", DEFAULTS.durationMs), 200, 20000),
    seed: Math.round(n("seed", DEFAULTS.seed)) || 1,
  };
}

/** "no random faults", "about one fault per second", "about 2.5 faults per second". */
export function faultRateText(rate: number): string {
  if (rate === 0) return "no random faults";
  return rate === 1 ? "about one fault per second" : `about ${rate} faults per second`;
}

/** A scenario built from the settings: the same code path as a lesson scenario, so the player treats it alike. */
export function sandboxScenario(s: SandboxSettings): PlayerScenario {
  const ids: NodeId[] = Array.from({ length: s.nodes }, (_, i) => i + 1);
  const network = {
    latency: { kind: "uniform" as const, min: Math.min(s.latencyMin, s.latencyMax), max: Math.max(s.latencyMin, s.latencyMax) },
    drop: s.drop / 100,
    duplicate: s.duplicate / 100,
  };
  return {
    id: "sandbox",
    title: `${PROTOCOLS[s.protocol]}, ${s.nodes} nodes`,
    summary: `Latency ${network.latency.min}–${network.latency.max} ms, ${s.drop}% loss, ${s.duplicate}% duplicates, ${faultRateText(s.faultRate)} for ${s.durationMs} ms.`,
    protocol: s.protocol === "raft-prevote" ? "raft" : s.protocol,
    defaultSeed: s.seed,
    run({ seed }) {
      const faults = randomFaults({ seed, nodes: ids, end: Math.max(0, s.durationMs - 500), rates: { crash: s.faultRate * 0.5, partition: s.faultRate * 0.3, cut: s.faultRate * 0.2 }, network });
      if (s.protocol === "paxos") {
        const sim = new Simulation<Message>({
          seed,
          nodes: ids,
          createNode: createPaxosNode() as unknown as NodeFactory<Message>,
          network,
          faults,
          requests: [
            { at: 0, node: ids[0] as NodeId, op: "x=1", client: "alice" },
            { at: 3, node: ids[1] as NodeId, op: "x=2", client: "bob" },
          ],
        });
        sim.runUntilTime(s.durationMs);
        const learned = new Set(sim.trace.filter((e) => e.kind === "client-reply").map((e) => JSON.stringify((e as { result: unknown }).result)));
        return { sim, result: learned.size ? `clients heard ${[...learned].join(" and ")}` : "no value was learned by a client" };
      }
      if (s.protocol === "multi-paxos") {
        // A client sends a command every 150 ms to the replicas in turn; followers pass commands to their leader.
        const requests = [];
        for (let t = 100, i = 0; t < s.durationMs - 300; t += 150, i++) requests.push({ at: t, node: ids[i % ids.length] as NodeId, op: `x=${i + 1}`, client: "client" });
        const sim = new Simulation<Message>({ seed, nodes: ids, createNode: createMultiPaxosNode() as unknown as NodeFactory<Message>, network, faults, requests });
        sim.runUntilTime(s.durationMs);
        const answered = sim.requests.filter((r) => r.replyAt !== undefined).length;
        return { sim, result: `${answered} of ${requests.length} commands answered` };
      }
      const preVote = s.protocol === "raft-prevote";
      const sim = new Simulation<Message>({
        seed,
        nodes: ids,
        createNode: createRaftNode({ preVote, checkQuorum: preVote }) as unknown as NodeFactory<Message>,
        network,
        faults,
        hooks: raftInvariants() as unknown as Hook<Message>[],
      });
      // A client that sends a command every 150 ms to whichever node currently believes it leads.
      let n = 0;
      for (let t = 150; t < s.durationMs && !sim.stopped; t += 150) {
        sim.runUntilTime(t);
        const leader = ids.find((id) => (sim.node(id)?.view?.() as { role?: string } | undefined)?.role === "leader");
        if (leader !== undefined) sim.request(leader, { type: "put", key: "x", value: String(++n) }, "client");
      }
      sim.runUntilTime(s.durationMs);
      const committed = Math.max(0, ...ids.map((id) => ((sim.node(id)?.view?.() as { commitIndex?: number } | undefined)?.commitIndex ?? 0)));
      return { sim, result: sim.violation ? `stopped: ${sim.violation.checker}` : `${n} commands sent, ${committed} entries committed` };
    },
  };
}

function field(label: string, input: HTMLInputElement | HTMLSelectElement): HTMLLabelElement {
  const l = document.createElement("label");
  l.append(label, input);
  return l;
}

function numberInput(name: string, value: number, min: number, max: number, step = 1): HTMLInputElement {
  const i = document.createElement("input");
  i.type = "number";
  i.name = name;
  i.min = String(min);
  i.max = String(max);
  i.step = String(step);
  i.value = String(value);
  i.dataset.control = name;
  return i;
}

export function sandbox(): { element: HTMLElement; protocol: HTMLSelectElement; destroy(): void } {
  const root = document.createElement("div");
  root.className = "sandbox";
  const settings = readSettings(location.search);
  const protocol = document.createElement("select");
  protocol.dataset.control = "protocol";
  for (const [k, v] of Object.entries(PROTOCOLS)) {
    const o = document.createElement("option");
    o.value = k;
    o.textContent = v;
    protocol.append(o);
  }
  protocol.value = settings.protocol;
  const inputs = {
    nodes: numberInput("nodes", settings.nodes, 3, 9),
    latMin: numberInput("latMin", settings.latencyMin, 0, 500),
    latMax: numberInput("latMax", settings.latencyMax, 0, 1000),
    drop: numberInput("drop", settings.drop, 0, 100),
    dup: numberInput("dup", settings.duplicate, 0, 100),
    rate: numberInput("rate", settings.faultRate, 0, 20, 0.5),
    duration: numberInput("duration", settings.durationMs, 200, 20000, 100),
  };
  const runBtn = document.createElement("button");
  runBtn.type = "button";
  runBtn.textContent = "Run";
  runBtn.dataset.action = "run-sandbox";
  const form = document.createElement("div");
  form.className = "tool-form";
  form.append(
    field("protocol", protocol),
    field("nodes (3–9)", inputs.nodes),
    field("latency min (ms)", inputs.latMin),
    field("latency max (ms)", inputs.latMax),
    field("loss %", inputs.drop),
    field("duplicates %", inputs.dup),
    field("faults per second", inputs.rate),
    field("run length (ms)", inputs.duration),
    runBtn,
  );
  const mount = document.createElement("div");
  root.append(form, mount);
  let player: Player | undefined;

  function start(fromUrl: boolean): void {
    const p = new URLSearchParams(location.search);
    p.set("protocol", protocol.value);
    for (const [k, i] of Object.entries(inputs)) p.set(k, i.value);
    if (!fromUrl) for (const k of ["seed", "step", "faults", "scenario", "variant"]) p.delete(k);
    history.replaceState(history.state, "", `${location.pathname}?${p}`);
    const s = readSettings(location.search);
    inputs.nodes.value = String(s.nodes);
    player?.destroy();
    player = createPlayer({ scenarios: [sandboxScenario(s)] });
    mount.replaceChildren(player.element);
  }
  runBtn.addEventListener("click", () => start(false));
  start(true);
  return { element: root, protocol, destroy: () => player?.destroy() };
}
