// The player: controls and charts bound to a simulation and a position, with time travel, clicks that fork history, and a shareable URL.

import type { FaultAction, Message, NodeId, Simulation, TraceEvent } from "@course/sim";
import { acceptorTable, traceHasAcceptors } from "./acceptors.js";
import { replayTo } from "./fork.js";
import { clusterView } from "./cluster.js";
import { logGrid, traceHasLogs } from "./log-grid.js";
import { labelledNotes, lastStep, SnapshotCursor, stepAtTime } from "./model.js";
import { nodeName, typeColor } from "./palette.js";
import { role, term } from "./views.js";
import { spaceTime } from "./spacetime.js";
import { moveTimelineCursor, timelineBand } from "./timeline.js";
import { readUrlState, writeUrlState, type PlayerUrlState, type ReaderFault } from "./url-state.js";

/** What the player needs from a scenario (a lesson's Scenario fits this shape). */
export interface PlayerScenario {
  readonly id: string;
  readonly title: string;
  readonly summary?: string;
  readonly defaultSeed: number;
  readonly variants?: Readonly<Record<string, string>>;
  run(options: { seed: number; variant?: string }): { sim: Simulation<Message>; result: string };
  describe?(event: TraceEvent): string | undefined;
}

/** A recorded run to explore without its code: time travel works, clicks do not (there is nothing to fork). */
export interface RecordedRun {
  readonly title: string;
  readonly summary?: string;
  readonly seed: number;
  readonly nodes: readonly NodeId[];
  readonly events: readonly TraceEvent[];
}

export interface PlayerOptions {
  /** Scenarios to run live; or pass `recorded` instead. */
  readonly scenarios?: readonly PlayerScenario[];
  readonly recorded?: RecordedRun;
  /** Keep scenario, seed, variant, position and the reader's faults in the page URL (default true). */
  readonly urlState?: boolean;
  /** Start here instead of what the URL says. */
  readonly initial?: PlayerUrlState;
  /** After a click, run this many virtual ms beyond the click (or to the old end, if later). */
  readonly extendMs?: number;
  /** Listen for keyboard shortcuts on the document (default true). */
  readonly keyboard?: boolean;
  /** Virtual milliseconds per real second when playing (default 100). */
  readonly speed?: number;
}

export interface Player {
  readonly element: HTMLElement;
  /** Move to a step (clamped to the trace). */
  seek(step: number): void;
  play(): void;
  pause(): void;
  destroy(): void;
  readonly step: number;
  readonly trace: readonly TraceEvent[];
}

const SPEEDS = [25, 50, 100, 200, 500, 1000];

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
}

function formatMs(ms: number): string {
  return `${ms < 10 && ms % 1 !== 0 ? ms.toFixed(1) : Math.round(ms)} ms`;
}

export function createPlayer(options: PlayerOptions): Player {
  const recorded = options.recorded;
  const scenarios: readonly PlayerScenario[] = recorded ? [recordedScenario(recorded)] : options.scenarios ?? [];
  if (scenarios.length === 0) throw new Error("createPlayer needs at least one scenario or a recorded run");
  const useUrl = (options.urlState ?? true) && !recorded;
  const extendMs = options.extendMs ?? 1500;
  const initial: PlayerUrlState = options.initial ?? (useUrl && typeof location !== "undefined" ? readUrlState(location.search) : {});

  let scenario = scenarios.find((s) => s.id === initial.scenario) ?? (scenarios[0] as PlayerScenario);
  let seed = initial.seed ?? scenario.defaultSeed;
  let variant = initial.variant !== undefined && scenario.variants?.[initial.variant] !== undefined ? initial.variant : undefined;
  let sim: Simulation<Message> | undefined;
  let result = "";
  let events: readonly TraceEvent[] = [];
  let nodes: readonly NodeId[] = [];
  let cursor!: SnapshotCursor;
  let faults: ReaderFault[] = [];
  let step = 0;
  let time = 0;
  let playing = false;
  let speed = options.speed ?? 100;
  let frame = 0;
  let lastFrameAt = 0;
  let width = 720;
  let error: string | undefined;

  // ---- layout -----------------------------------------------------------------------------------
  const root = el("div", { class: "sim-player", tabindex: "-1" });
  const header = el("div", { class: "player-header" });
  const scenarioSelect = el("select", { "aria-label": "Scenario", "data-control": "scenario" });
  for (const s of scenarios) scenarioSelect.append(el("option", { value: s.id }, s.title));
  const summary = el("p", { class: "player-summary" });
  header.append(scenarios.length > 1 ? el("label", { class: "scenario-pick" }, "Scenario ", scenarioSelect) : el("h3", { class: "player-title" }, scenario.title), summary);

  const btn = (action: string, label: string, title: string) => el("button", { type: "button", "data-action": action, title, "aria-label": title }, label);
  const resetBtn = btn("reset", "⟲", "Reset: the scenario from its seed, without your faults");
  const backBtn = btn("back", "◀", "Step back one event (←)");
  const playBtn = btn("play", "▶ Play", "Play or pause (space)");
  const fwdBtn = btn("forward", "▶|", "Step forward one event (→)");
  const slider = el("input", { type: "range", min: "0", max: "0", value: "0", "aria-label": "Position in the run", "data-control": "slider" });
  const speedSelect = el("select", { "aria-label": "Speed", "data-control": "speed" });
  for (const s of SPEEDS) speedSelect.append(el("option", { value: String(s) }, `${s} ms/s`));
  const seedInput = el("input", { type: "number", step: "1", "aria-label": "Seed", "data-control": "seed", class: "seed-input" });
  const diceBtn = btn("new-seed", "new seed", "Try another seed");
  const variantSelect = el("select", { "aria-label": "Rules", "data-control": "variant" });
  const position = el("span", { class: "position", "aria-live": "polite" });
  const controls = el("div", { class: "player-controls" },
    el("span", { class: "group" }, resetBtn, backBtn, playBtn, fwdBtn),
    el("span", { class: "group slider-group" }, slider, position),
    el("span", { class: "group" }, el("label", {}, "speed ", speedSelect), el("label", {}, "seed ", seedInput), diceBtn),
  );
  const breakRow = el("div", { class: "break-it" }, el("label", {}, "Break it: ", variantSelect), el("span", { class: "variant-note" }));
  const jumps = el("div", { class: "jumps" });
  const banner = el("div", { class: "violation-banner", hidden: "" });
  const clusterBox = el("div", { class: "chart-box cluster-box" });
  const narration = el("ol", { class: "narration", "aria-label": "What happened" });
  const hint = el("p", { class: "hint" }, "Click a node to crash or restart it, a link to cut or heal it: the run forks from that moment (invariant checks cover the scenario's own run). Keys: space plays, ← and → step.");
  const resultLine = el("p", { class: "result-line" });
  const side = el("div", { class: "side" }, el("h4", {}, "What happened"), narration, resultLine);
  const legend = el("div", { class: "legend", "aria-label": "Message types" });
  const top = el("div", { class: "player-top" }, el("div", { class: "cluster-col" }, clusterBox, legend, hint), side);
  const timelineBox = el("div", { class: "chart-box timeline-box" });
  const spaceBox = el("div", { class: "chart-box space-box" });
  const logBox = el("div", { class: "chart-box log-box" });
  const acceptorBox = el("div", { class: "chart-box acceptor-box" });
  const titled = (title: string, box: HTMLElement) => el("section", { class: "chart-section" }, el("h4", {}, title), box);
  const logSection = titled("Logs (index × term; solid = committed; ▼ nextIndex, underline matchIndex)", logBox);
  const acceptorSection = titled("Acceptors", acceptorBox);
  root.append(header, controls, breakRow, jumps, banner, top, titled("Timeline", timelineBox), titled("Messages over time (hover an arrow for its body)", spaceBox), logSection, acceptorSection);

  // ---- running ----------------------------------------------------------------------------------
  function load(keepFaults: readonly ReaderFault[] = []): void {
    error = undefined;
    if (recorded) {
      nodes = recorded.nodes;
      refreshTrace();
      return;
    }
    try {
      const run = scenario.run(variant === undefined ? { seed } : { seed, variant });
      sim = run.sim;
      result = run.result;
      faults = [];
      nodes = sim.nodeIds;
      for (const f of keepFaults) forkAt(f.afterStep, [f.action], false);
    } catch (e) {
      error = `This scenario failed to run: ${(e as Error).message}`;
    }
    refreshTrace();
  }

  // Facts about the whole trace, worked out once per trace rather than on every animation frame.
  let derived = { hasLogs: false, hasAcceptors: false, violation: undefined as TraceEvent | undefined, notes: [] as ReturnType<typeof labelledNotes> };
  let timelineSvg: SVGSVGElement | undefined;
  let timelineKey = "";
  let narratedStep = -1;

  function refreshTrace(): void {
    events = recorded ? recorded.events : sim ? sim.trace : [];
    cursor = new SnapshotCursor(events, nodes);
    slider.max = String(lastStep(events));
    derived = { hasLogs: traceHasLogs(events), hasAcceptors: traceHasAcceptors(events), violation: events.find((e) => e.kind === "violation"), notes: labelledNotes(events) };
    // A colour key for the message types this run sends, in order of first use.
    const types = [...new Set(events.flatMap((e) => (e.kind === "send" && e.from !== e.to ? [e.msg.type] : [])))];
    legend.replaceChildren(...types.map((t) => el("span", { class: "legend-item" }, el("span", { class: "swatch", style: `background:${typeColor(t)}` }), t)));
    timelineSvg = undefined;
    narratedStep = -1;
  }

  /** Replay to `at`, apply the reader's actions, and run on: history forks at that point. */
  function forkAt(at: number, actions: readonly FaultAction[], rerender = true): void {
    if (!sim) return;
    const before = sim.trace;
    const endTime = before.length ? (before[before.length - 1] as TraceEvent).time : sim.now;
    const fork = replayTo(sim, at);
    for (const a of actions) fork.apply(a);
    faults = [...faults.filter((f) => f.afterStep <= at), ...actions.map((action) => ({ afterStep: at, action }))];
    fork.runUntilTime(Math.max(endTime, fork.now + extendMs));
    sim = fork;
    if (rerender) {
      refreshTrace();
      step = at;
      time = timeOfStep(at);
      render();
      saveUrl();
    }
  }

  function timeOfStep(k: number): number {
    const snap = cursor.at(k);
    return snap.time;
  }

  function nodeClicked(id: NodeId): void {
    if (!sim) return;
    const snap = cursor.at(step);
    const status = snap.nodes.get(id)?.status ?? "up";
    pause();
    forkAt(step, [status === "crashed" ? { type: "restart", node: id } : status === "paused" ? { type: "resume", node: id } : { type: "crash", node: id }]);
  }

  function linkClicked(a: NodeId, b: NodeId): void {
    if (!sim) return;
    const snap = cursor.at(step);
    const cut = snap.blocked.has(`${a}>${b}`) || snap.blocked.has(`${b}>${a}`);
    pause();
    forkAt(step, cut ? [{ type: "heal", from: a, to: b }, { type: "heal", from: b, to: a }] : [{ type: "cut", from: a, to: b }, { type: "cut", from: b, to: a }]);
  }

  // ---- position ---------------------------------------------------------------------------------
  function seek(k: number, keepTime = false): void {
    const end = lastStep(events);
    step = Math.max(0, Math.min(end, Math.round(k)));
    if (!keepTime) time = timeOfStep(step);
    render();
  }

  function forward(): void {
    if (step >= lastStep(events) && sim && !sim.stopped) {
      // At the end of what was computed: let the simulation run one more event.
      if (sim.step()) refreshTrace();
    }
    seek(step + 1);
    saveUrl();
  }

  function back(): void {
    seek(step - 1);
    saveUrl();
  }

  function tick(now: number): void {
    if (!playing) return;
    const dt = Math.min(100, now - lastFrameAt);
    lastFrameAt = now;
    const end = lastStep(events);
    time += (dt / 1000) * speed;
    const endTime = events.length ? (events[events.length - 1] as TraceEvent).time : 0;
    if (time >= endTime || step >= end) {
      time = endTime;
      seek(end);
      pause();
      return;
    }
    const k = stepAtTime(events, time);
    seek(Math.max(step, k), true);
    frame = requestAnimationFrame(tick);
  }

  function play(): void {
    if (playing) return;
    if (step >= lastStep(events)) seek(0);
    playing = true;
    playBtn.textContent = "⏸ Pause";
    root.dataset.playing = "true";
    lastFrameAt = performance.now();
    frame = requestAnimationFrame(tick);
  }

  function pause(): void {
    if (!playing) return;
    playing = false;
    cancelAnimationFrame(frame);
    playBtn.textContent = "▶ Play";
    root.dataset.playing = "false";
    saveUrl();
  }

  function saveUrl(): void {
    if (!useUrl || typeof history === "undefined") return;
    const search = writeUrlState(location.search, {
      scenario: scenarios.length > 1 || scenario.id !== scenarios[0]?.id ? scenario.id : undefined,
      seed: seed === scenario.defaultSeed ? undefined : seed,
      variant,
      step: step === 0 ? undefined : step,
      faults,
    } as PlayerUrlState);
    history.replaceState(history.state, "", `${location.pathname}${search}${location.hash}`);
  }

  // ---- drawing ----------------------------------------------------------------------------------
  function renderStatic(): void {
    scenarioSelect.value = scenario.id;
    summary.textContent = scenario.summary ?? "";
    seedInput.value = String(seed);
    speedSelect.value = String(speed);
    variantSelect.replaceChildren(el("option", { value: "" }, "correct rules"));
    for (const [key, desc] of Object.entries(scenario.variants ?? {})) variantSelect.append(el("option", { value: key, title: desc }, key));
    variantSelect.value = variant ?? "";
    breakRow.hidden = recorded !== undefined || Object.keys(scenario.variants ?? {}).length === 0;
    (breakRow.querySelector(".variant-note") as HTMLElement).textContent = variant === undefined ? "" : scenario.variants?.[variant] ?? "";
    jumps.replaceChildren();
    for (const n of labelledNotes(events)) {
      const b = el("button", { type: "button", class: n.heading ? "jump heading" : "jump", "data-label": n.label, title: n.text }, n.label);
      b.addEventListener("click", () => {
        pause();
        seek(n.step);
        saveUrl();
      });
      jumps.append(b);
    }
    jumps.hidden = jumps.childElementCount === 0;
    resultLine.textContent = result ? `How the scenario's own run ends: ${result}${faults.length ? " (before your changes)" : ""}` : "";
  }

  function renderNarration(): void {
    const lines: Array<{ text: string; time: number; cls: string }> = [];
    // Without the scenario's own narration, role changes are the story worth telling.
    const roles = new Map<NodeId, string | undefined>();
    for (const e of events) {
      if (e.step > step) break;
      if (e.kind === "note") lines.push({ text: e.node === undefined ? e.text : `${nodeName(e.node)}: ${e.text}`, time: e.time, cls: e.style ?? "plain" });
      else if (e.kind === "violation") lines.push({ text: `✗ ${e.checker}: ${e.message}`, time: e.time, cls: "violation" });
      else if (e.kind === "crash" || e.kind === "restart" || e.kind === "pause" || e.kind === "resume") lines.push({ text: `${nodeName(e.node)} ${e.kind === "crash" ? "crashes" : e.kind === "restart" ? "restarts" : e.kind === "pause" ? "pauses" : "resumes"}`, time: e.time, cls: "fault" });
      else if (e.kind === "cut" || e.kind === "heal" || e.kind === "partition" || e.kind === "isolate") lines.push({ text: describeNetwork(e), time: e.time, cls: "fault" });
      else if (scenario.describe) {
        const d = scenario.describe(e);
        if (d) lines.push({ text: d, time: e.time, cls: "plain" });
      } else if (e.kind === "state") {
        const r = role(e.view);
        if (r !== roles.get(e.node)) {
          if (roles.has(e.node) || (r !== "follower" && r !== "acceptor")) {
            const t = term(e.view);
            lines.push({ text: `${nodeName(e.node)} is ${r ?? "?"}${t === undefined ? "" : ` in term ${t}`}`, time: e.time, cls: r === "leader" ? "heading" : "plain" });
          }
          roles.set(e.node, r);
        }
      }
    }
    const shown = lines.slice(-9);
    // Newest first in the document; the list is laid out bottom-up (column-reverse), so it reads downwards
    // and stays scrolled to the newest line even before it is attached to the page.
    narration.replaceChildren(...shown.reverse().map((l) => el("li", { class: l.cls }, el("span", { class: "t" }, formatMs(l.time)), " ", l.text)));
    if (lines.length === 0) narration.append(el("li", { class: "plain muted" }, "Nothing yet: press play or step forward."));
  }

  function render(): void {
    if (error) {
      banner.hidden = false;
      banner.textContent = error;
      return;
    }
    const started = performance.now();
    const snap = cursor.at(step);
    const now = Math.max(time, snap.time);
    root.dataset.step = String(step);
    root.dataset.time = String(now);
    slider.value = String(step);
    const end = lastStep(events);
    position.textContent = `step ${step} / ${end} · ${formatMs(now)}`;
    const w = width;
    const wide = w >= 760;
    const clusterW = wide ? Math.floor(w * 0.55) : w;
    clusterBox.replaceChildren(clusterView(events, { width: clusterW, height: Math.round(Math.min(Math.max(clusterW * (wide ? 0.7 : 0.9), 260), 380)), step, time: now, nodes, snapshot: snap, ...(sim ? { onNodeClick: nodeClicked, onLinkClick: linkClicked } : {}) }));
    const key = `${events.length}:${w}`;
    if (!timelineSvg || key !== timelineKey) {
      timelineSvg = timelineBand(events, { width: w, time: now, nodes, onSeek: (t) => { pause(); seek(stepAtTime(events, t)); saveUrl(); }, onJump: (k) => { pause(); seek(k); saveUrl(); } });
      timelineKey = key;
      timelineBox.replaceChildren(timelineSvg);
    } else moveTimelineCursor(timelineSvg, now);
    spaceBox.replaceChildren(spaceTime(events, { width: w, step, time: now, nodes }));
    const hasLogs = derived.hasLogs;
    logSection.hidden = !hasLogs;
    if (hasLogs) logBox.replaceChildren(logGrid(events, { width: w, step, nodes, snapshot: snap }));
    const hasAcceptors = derived.hasAcceptors;
    acceptorSection.hidden = !hasAcceptors;
    if (hasAcceptors) acceptorBox.replaceChildren(acceptorTable(events, { step, nodes }));
    const violation = derived.violation;
    if (violation && violation.kind === "violation") {
      banner.hidden = false;
      const reached = step >= violation.step;
      banner.className = `violation-banner${reached ? " reached" : ""}`;
      const jump = el("button", { type: "button", "data-action": "jump-violation" }, "show me");
      jump.addEventListener("click", () => { pause(); seek(violation.step); saveUrl(); });
      banner.replaceChildren(el("strong", {}, reached ? "Invariant broken: " : "This run breaks an invariant at step " + violation.step + ": "), `${violation.checker}: ${violation.message} `, jump);
    } else {
      banner.hidden = true;
    }
    for (const b of jumps.querySelectorAll<HTMLButtonElement>("button.jump")) {
      const n = derived.notes.find((x) => x.label === b.dataset.label);
      b.classList.toggle("passed", n !== undefined && n.step <= step);
    }
    if (narratedStep !== step) {
      narratedStep = step;
      renderNarration();
    }
    // How long drawing took, for the site benchmark's frame budget.
    root.dataset.renderMs = (performance.now() - started).toFixed(2);
  }

  // ---- wiring -----------------------------------------------------------------------------------
  function restart(newSeed: number, keep: readonly ReaderFault[] = []): void {
    pause();
    seed = newSeed;
    load(keep);
    step = 0;
    time = 0;
    renderStatic();
    seek(0);
    saveUrl();
  }

  resetBtn.addEventListener("click", () => restart(seed));
  backBtn.addEventListener("click", () => { pause(); back(); });
  fwdBtn.addEventListener("click", () => { pause(); forward(); });
  playBtn.addEventListener("click", () => (playing ? pause() : play()));
  slider.addEventListener("input", () => { pause(); seek(Number(slider.value)); });
  slider.addEventListener("change", () => saveUrl());
  speedSelect.addEventListener("change", () => { speed = Number(speedSelect.value); });
  seedInput.addEventListener("change", () => {
    const s = Number(seedInput.value);
    if (Number.isInteger(s)) restart(s);
  });
  diceBtn.addEventListener("click", () => restart((seed * 1103515245 + 12345) % 2147483647 >>> 0));
  variantSelect.addEventListener("change", () => {
    variant = variantSelect.value === "" ? undefined : variantSelect.value;
    restart(seed);
  });
  scenarioSelect.addEventListener("change", () => {
    scenario = scenarios.find((s) => s.id === scenarioSelect.value) ?? scenario;
    variant = undefined;
    restart(scenario.defaultSeed);
  });

  const onKey = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement | null;
    if (target && /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(target.tagName) && e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
    if (target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) return;
    if (e.key === " " || e.key === "k") {
      e.preventDefault();
      playing ? pause() : play();
    } else if (e.key === "ArrowRight" || e.key === "l") {
      e.preventDefault();
      pause();
      forward();
    } else if (e.key === "ArrowLeft" || e.key === "j") {
      e.preventDefault();
      pause();
      back();
    }
  };
  if (options.keyboard ?? true) document.addEventListener("keydown", onKey);

  const resizeObserver = new ResizeObserver((entries) => {
    const w = Math.floor(entries[0]?.contentRect.width ?? width);
    if (w > 0 && Math.abs(w - width) > 4) {
      width = w;
      render();
    }
  });
  resizeObserver.observe(root);

  if (recorded) {
    hint.textContent = "A recorded trace: step, play and jump freely. To crash nodes or cut links, open the scenario on its lesson page.";
    for (const c of [seedInput, diceBtn, resetBtn]) c.hidden = true;
    breakRow.hidden = true;
  }
  load(initial.faults ?? []);
  renderStatic();
  seek(initial.step ?? 0);

  return {
    element: root,
    seek: (k) => seek(k),
    play,
    pause,
    destroy() {
      pause();
      document.removeEventListener("keydown", onKey);
      resizeObserver.disconnect();
    },
    get step() {
      return step;
    },
    get trace() {
      return events;
    },
  };
}

function recordedScenario(run: RecordedRun): PlayerScenario {
  return {
    id: "recorded",
    title: run.title,
    ...(run.summary === undefined ? {} : { summary: run.summary }),
    defaultSeed: run.seed,
    run() {
      throw new Error("a recorded run cannot be re-run here");
    },
  };
}

function describeNetwork(e: TraceEvent): string {
  if (e.kind === "cut") return `link ${nodeName(e.from)}→${nodeName(e.to)} cut`;
  if (e.kind === "heal") return e.from === undefined ? "network healed" : `link ${nodeName(e.from)}→${nodeName(e.to as number)} healed`;
  if (e.kind === "partition") return `partition: ${e.groups.map((g) => `{${g.map(nodeName).join(", ")}}`).join(" | ")}`;
  if (e.kind === "isolate") return `${nodeName(e.node)} isolated`;
  return e.kind;
}
