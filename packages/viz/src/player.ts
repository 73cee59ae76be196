// The player: controls and charts bound to a run and a position, with time travel, inspector panels, actions that fork the run, and a shareable URL.

import type { Message, NodeId, RecordedAction, RequestRecord, Simulation, TraceEvent } from "@course/sim";
import { acceptorTable, traceHasAcceptors } from "./acceptors.js";
import { ClusterRenderer } from "./cluster.js";
import { configGrid, traceHasMembership } from "./config-view.js";
import { describeReaderActions, droppedByFork, forkWith, type Forked, type ReaderAction, type ReaderFault } from "./fork.js";
import { clientList, kvTable, traceHasClients } from "./kv-view.js";
import { logGrid, traceHasLogs } from "./log-grid.js";
import { eventsThrough, labelledNotes, SnapshotCursor, stepAtTime, type ClusterSnapshot, type FlightMessage } from "./model.js";
import { Narration } from "./narration.js";
import { outcomeText } from "./outcome.js";
import { Pace } from "./pace.js";
import { Inspector, type InspectorContext } from "./panels.js";
import { nodeName, typeColor } from "./palette.js";
import { SpaceTimeRenderer } from "./spacetime.js";
import { moveTimelineCursor, timelineBand } from "./timeline.js";
import { TraceIndex } from "./trace-index.js";
import { readUrlState, writeUrlState, type PlayerUrlState } from "./url-state.js";
import { el } from "./dom.js";

/** What the player needs from a scenario (a lesson's Scenario fits this shape). */
export interface PlayerScenario {
  readonly id: string;
  readonly title: string;
  readonly summary?: string;
  readonly defaultSeed: number;
  readonly variants?: Readonly<Record<string, string>>;
  /** "raft", "paxos", "multi-paxos" or "2pc": picks the example a reader's client request starts from. */
  readonly protocol?: string;
  run(options: { seed: number; variant?: string }): { sim: Simulation<Message>; result: string };
  describe?(event: TraceEvent): string | undefined;
}

/** A recorded run to explore without its code: time travel works, actions do not (there is nothing to fork). */
export interface RecordedRun {
  readonly title: string;
  readonly summary?: string;
  readonly seed: number;
  readonly nodes: readonly NodeId[];
  readonly events: readonly TraceEvent[];
}

/** What an extra chart sees: the run, the position, and (for a live run) the simulation's client requests. */
export interface ExtraContext {
  readonly events: readonly TraceEvent[];
  readonly nodes: readonly NodeId[];
  readonly step: number;
  readonly snapshot: ClusterSnapshot;
  readonly width: number;
  /** Every client request of the run with its answer, when the run is live. */
  readonly requests: readonly RequestRecord[] | undefined;
}

/** A chart a page adds under the player's own (drawn when the step or the run changes, not every frame). */
export interface PlayerExtra {
  readonly id: string;
  readonly title: string;
  /** Drawn once per run (and width) rather than at every step: for views of the whole run. */
  readonly perRun?: boolean;
  applies(events: readonly TraceEvent[], nodes: readonly NodeId[]): boolean;
  render(ctx: ExtraContext): Node;
}

export interface PlayerOptions {
  /** Scenarios to run live; or pass `recorded` instead. */
  readonly scenarios?: readonly PlayerScenario[];
  readonly recorded?: RecordedRun;
  /** Keep scenario, seed, variant, position and the reader's actions in the page URL (default true). */
  readonly urlState?: boolean;
  /** Start here instead of what the URL says. */
  readonly initial?: PlayerUrlState;
  /** After an action, run this many virtual ms beyond it (or to the old end, if later). */
  readonly extendMs?: number;
  /** Listen for keyboard shortcuts (default true). */
  readonly keyboard?: boolean;
  /** Playback speed multiplier (default 1: a message hop lasts about half a second). */
  readonly speed?: number;
  /** More charts for this page (a lesson's own views). */
  readonly extras?: readonly PlayerExtra[];
}

export interface Player {
  readonly element: HTMLElement;
  /** Move to a step (clamped to the run). */
  seek(step: number): void;
  play(): void;
  pause(): void;
  destroy(): void;
  readonly step: number;
  readonly trace: readonly TraceEvent[];
}

const SPEEDS = [0.25, 0.5, 1, 2, 5, 10];
/** Real milliseconds a single step forward animates for at 1x. */
const STEP_ANIMATION_MS = 450;
const NARRATION_LINES = 9;
/** How often, while playing, the per-step views (logs, tables, narration) catch up with the step. */
const STEP_VIEWS_WHILE_PLAYING_MS = 120;
const REQUEST_EXAMPLES: Record<string, string> = { "2pc": "t#", raft: "x=#", paxos: "x=#", "multi-paxos": "x=#" };


function formatMs(ms: number): string {
  return `${ms < 10 && ms % 1 !== 0 ? ms.toFixed(1) : Math.round(ms)} ms`;
}

const ease = (p: number) => 1 - (1 - p) * (1 - p);

/** Put `next` in `box` unless the box already shows exactly that (an unchanged view is not laid out again). */
function replaceIfChanged(box: HTMLElement, next: Node, force: boolean): void {
  const current = box.firstChild;
  if (!force && box.childNodes.length === 1 && current !== null && current.isEqualNode(next)) return;
  box.replaceChildren(next);
}

/** Run `fn` when the browser is idle (or soon, where idle callbacks do not exist). */
function later(fn: () => void): void {
  if (typeof requestIdleCallback === "function") requestIdleCallback(() => fn(), { timeout: 1000 });
  else setTimeout(fn, 30);
}

/** Built-in extras: membership (lesson 9), the key-value data on each server and the clients (lesson 11, the sandbox). */
const BUILT_IN_EXTRAS: readonly PlayerExtra[] = [
  { id: "config", title: "Configuration each server uses", applies: traceHasMembership, render: (c) => configGrid(c.snapshot, c.nodes, { width: Math.min(c.width, 520) }) },
  { id: "clients", title: "Clients", applies: traceHasClients, render: (c) => clientList(c.events, c.step) },
  { id: "kv", title: "Key-value data on each server", applies: traceHasClients, render: (c) => kvTable(c.snapshot, c.nodes) },
];

export function createPlayer(options: PlayerOptions): Player {
  const recorded = options.recorded;
  const scenarios: readonly PlayerScenario[] = recorded ? [recordedScenario(recorded)] : options.scenarios ?? [];
  if (scenarios.length === 0) throw new Error("createPlayer needs at least one scenario or a recorded run");
  const useUrl = (options.urlState ?? true) && !recorded;
  const extendMs = options.extendMs ?? 1500;
  const initial: PlayerUrlState = options.initial ?? (useUrl && typeof location !== "undefined" ? readUrlState(location.search) : {});
  const extras = [...BUILT_IN_EXTRAS, ...(options.extras ?? [])];

  let scenario = scenarios.find((s) => s.id === initial.scenario) ?? (scenarios[0] as PlayerScenario);
  let seed = initial.seed ?? scenario.defaultSeed;
  let variant = initial.variant !== undefined && scenario.variants?.[initial.variant] !== undefined ? initial.variant : undefined;
  // The run: the scenario's own (its script of recorded actions kept apart), or a fork of it.
  let sim: Simulation<Message> | undefined;
  let script: readonly RecordedAction[] = [];
  let faults: ReaderFault[] = [];
  let firstFork: number | undefined;
  let made = new Map<number, string>();
  let forkNotice: { said: string; lines: string[]; caveat?: string } | undefined;
  let error: string | undefined;
  // Per-run lookups, rebuilt by setTrace().
  let events: readonly TraceEvent[] = [];
  let nodes: readonly NodeId[] = [];
  let index = new TraceIndex([]);
  let pace = new Pace(index);
  let narration = new Narration([], undefined);
  let cursor = new SnapshotCursor([], []);
  let derived = { hasLogs: false, hasAcceptors: false, violation: undefined as TraceEvent | undefined, notes: [] as ReturnType<typeof labelledNotes>, extras: [] as PlayerExtra[] };
  let outcome: string | undefined;
  // Position and playback.
  let step = 0;
  let time = 0;
  let playing = false;
  let speed = options.speed ?? 1;
  let playSeconds = 0;
  let frame = 0;
  let lastFrameAt = 0;
  let animation: { from: number; to: number; startedAt: number; duration: number; arriving: Array<{ m: FlightMessage; f0: number }> } | undefined;
  let width = 720;
  let drawnStep = -1;
  let drawnWidth = -1;
  let drawnViews: unknown[] = [];
  let stepViewsAt = 0;
  let narrationCopy: HTMLOListElement | undefined;

  // ---- layout -----------------------------------------------------------------------------------
  const root = el("div", { class: "sim-player" });
  const header = el("div", { class: "player-header" });
  const scenarioSelect = el("select", { "data-control": "scenario", id: `scenario-${Math.random().toString(36).slice(2, 8)}` });
  for (const s of scenarios) scenarioSelect.append(el("option", { value: s.id }, s.title));
  const summary = el("p", { class: "player-summary" });
  header.append(scenarios.length > 1 ? el("label", { class: "scenario-pick" }, "Scenario ", scenarioSelect) : el("h3", { class: "player-title" }, scenario.title), summary);

  /** Symbol buttons get their name from aria-label; worded buttons keep their words as their name (a title adds the hint). */
  const btn = (action: string, label: string, title: string) => el("button", { type: "button", "data-action": action, title, ...(/\w/.test(label) ? {} : { "aria-label": title }) }, label);
  const resetBtn = btn("reset", "⟲", "Reset: the scenario's own run, without your changes");
  const backBtn = btn("back", "◀", "Step back one event (←)");
  const playBtn = btn("play", "▶ Play", "Play or pause (space)");
  const fwdBtn = btn("forward", "▶|", "Step forward one event (→)");
  const slider = el("input", { type: "range", min: "0", max: "0", value: "0", "aria-label": "Position in the run", "data-control": "slider" });
  const speedSelect = el("select", { "data-control": "speed" });
  for (const s of SPEEDS) speedSelect.append(el("option", { value: String(s) }, `${s}×`));
  const seedInput = el("input", { type: "number", step: "1", "data-control": "seed", class: "seed-input" });
  const diceBtn = btn("new-seed", "new seed", "Try another seed");
  const seedGroup = el("span", { class: "group seed-group" }, el("label", {}, "seed ", seedInput), diceBtn);
  const variantSelect = el("select", { "data-control": "variant" });
  const position = el("span", { class: "position", "aria-live": "off" });
  const controls = el("div", { class: "player-controls", role: "toolbar", "aria-label": "Player controls" },
    el("span", { class: "group" }, resetBtn, backBtn, playBtn, fwdBtn),
    el("span", { class: "group slider-group" }, slider, position),
    el("span", { class: "group" }, el("label", {}, "speed ", speedSelect)),
    seedGroup,
  );
  const breakRow = el("div", { class: "break-it" }, el("label", {}, "Break it: ", variantSelect), el("span", { class: "variant-note" }));
  const jumps = el("div", { class: "jumps", role: "group", "aria-label": "Labelled points of the story" });
  const notice = el("div", { class: "fork-notice", role: "status" });
  const banner = el("div", { class: "violation-banner", role: "alert" });
  const clusterBox = el("div", { class: "chart-box cluster-box" });
  const legend = el("div", { class: "legend", role: "list", "aria-label": "Message types" });
  // Focusable, so keyboard users can scroll it too.
  const narrationList = el("ol", { class: "narration", "aria-label": "What happened, newest first", tabindex: "0" });
  const resultLine = el("p", { class: "result-line" });
  const hint = el("p", { class: "hint" }, "Click or tap a server for its state and actions, a message for its contents, a link to cut or heal it. Any action forks the run from that moment. Keys: space plays and pauses, ← and → step, Enter opens what has focus, Esc closes the panel.");
  const timelineBox = el("div", { class: "chart-box timeline-box" });
  const spaceBox = el("div", { class: "chart-box space-box" });
  const logBox = el("div", { class: "chart-box log-box" });
  // Tables may scroll sideways on a phone: such a region must be reachable by keyboard.
  const acceptorBox = el("div", { class: "chart-box acceptor-box", tabindex: "0", role: "region", "aria-label": "Acceptors" });
  const titled = (title: string, box: HTMLElement, cls = "") => el("section", { class: `chart-section ${cls}`.trim() }, el("h4", {}, title), box);
  const logSection = titled("Logs (index × term; solid = committed; ▼ nextIndex, underline matchIndex)", logBox, "log-section");
  const acceptorSection = titled("Acceptors", acceptorBox, "acceptor-section");
  const extraSections = new Map<string, { section: HTMLElement; box: HTMLElement }>();
  for (const x of extras) {
    const box = el("div", { class: `chart-box extra-box ${x.id}-box`, tabindex: "0", role: "region", "aria-label": x.title });
    extraSections.set(x.id, { section: titled(x.title, box, `extra-section ${x.id}-section`), box });
  }

  const inspector = new Inspector({
    act: (a) => act(a),
    showMessage: (id) => inspector.showMessage(id, inspectorContext(), true),
    closed: () => drawFrame(),
  });
  const cluster = new ClusterRenderer({
    onNode: (id) => openNode(id),
    // A recorded run has nothing to fork: its links are not buttons.
    ...(recorded ? {} : { onLink: (a: NodeId, b: NodeId) => linkAction(a, b) }),
    onMessage: (id) => openMessage(id),
  });
  const spaceTime = new SpaceTimeRenderer((id) => openMessage(id));
  clusterBox.append(cluster.element);
  spaceBox.append(spaceTime.element);
  const side = el("div", { class: "side" }, inspector.element, el("h4", {}, "What happened"), narrationList);
  const top = el("div", { class: "player-top" }, el("div", { class: "cluster-col" }, clusterBox, legend), side);
  root.append(header, controls, breakRow, jumps, notice, banner, top, resultLine, hint, titled("Timeline of the whole run", timelineBox), titled("Messages over time (click or tap an arrow)", spaceBox), logSection, acceptorSection, ...[...extraSections.values()].map((x) => x.section));
  let timelineSvg: SVGSVGElement | undefined;

  // ---- the run ------------------------------------------------------------------------------------
  function load(): void {
    error = undefined;
    faults = [];
    firstFork = undefined;
    made = new Map();
    forkNotice = undefined;
    if (recorded) {
      nodes = recorded.nodes;
      setTrace(recorded.events);
      return;
    }
    try {
      const run = scenario.run(variant === undefined ? { seed } : { seed, variant });
      sim = run.sim;
      script = [...sim.actions];
      nodes = sim.nodeIds;
    } catch (e) {
      sim = undefined;
      error = `This scenario failed to run: ${(e as Error).message}`;
    }
    setTrace(sim ? sim.trace : []);
  }

  /** A new run (load, fork, extension): rebuild the per-run lookups; everything else is computed on demand. */
  function setTrace(trace: readonly TraceEvent[]): void {
    events = trace;
    index = new TraceIndex(trace);
    pace = new Pace(index);
    narration = new Narration(trace, scenario.describe?.bind(scenario), made);
    cursor = new SnapshotCursor(trace, nodes);
    derived = {
      hasLogs: traceHasLogs(trace),
      hasAcceptors: traceHasAcceptors(trace),
      violation: trace.find((e) => e.kind === "violation"),
      notes: labelledNotes(trace),
      extras: extras.filter((x) => x.applies(trace, nodes)),
    };
    outcome = undefined;
    slider.max = String(index.lastStep);
    legend.replaceChildren(...index.types.map((t) => el("span", { class: "legend-item", role: "listitem" }, el("span", { class: "swatch", style: `background:${typeColor(t)}`, "aria-hidden": "true" }), t)));
    spaceTime.setTrace(index);
    timelineSvg = undefined;
    drawnStep = -1;
    for (const x of extras) if (x.perRun) (extraSections.get(x.id) as { box: HTMLElement }).box.replaceChildren();
    narrateWhileIdle(narration);
    renderJumps();
    renderNotice();
  }

  /** Narrate the run ahead in small slices while the browser is idle, so a far seek does not pay for it. */
  function narrateWhileIdle(which: Narration): void {
    const slice = () => {
      if (which !== narration || which.prepare(400)) return;
      later(slice);
    };
    later(slice);
  }

  /** Apply a reader's actions: the run forks at the current step (drops and copies where the network handles the message). */
  function act(...actions: ReaderAction[]): void {
    if (!sim) return;
    pause();
    try {
      adoptFork(forkWith(sim, actions.map((action) => ({ afterStep: step, action })), extendMs));
      saveUrl();
    } catch (e) {
      forkNotice = { said: `That did not work: ${(e as Error).message}`, lines: [] };
      renderNotice();
    }
    drawStepViews(true);
    drawFrame();
  }

  function adoptFork(forked: Forked): void {
    const undone = faults.filter((f) => f.afterStep > forked.forkStep);
    faults = [...faults.filter((f) => f.afterStep <= forked.forkStep), ...forked.faults];
    firstFork = Math.min(firstFork ?? Infinity, forked.forkStep);
    made = new Map([...[...made].filter(([seq]) => seq < forked.start), ...forked.made]);
    const at = forked.sim.trace[forked.start];
    const when = at ? ` at ${formatMs(at.time)}` : "";
    const checked = (forked.sim.spec.hooks?.length ?? 0) > 0 ? " The scenario's invariant checkers watch every step of the new run." : "";
    forkNotice = {
      said: `${describeReaderActions(forked.faults.map((f) => f.action))}${when}: the run forks after step ${forked.forkStep}, and everything from there on is the new run.${checked}`,
      lines: droppedByFork(script, firstFork, undone),
      ...(forked.caveat ? { caveat: forked.caveat } : {}),
    };
    sim = forked.sim;
    setTrace(sim.trace);
    step = Math.min(step, index.lastStep);
    time = timeOfStep(step);
    playSeconds = pace.playAt(time);
  }

  function renderNotice(): void {
    notice.hidden = forkNotice === undefined;
    if (!forkNotice) return notice.replaceChildren();
    const back = el("button", { type: "button", "data-action": "back-to-scenario" }, "Back to the scenario's own run");
    back.addEventListener("click", () => restart(seed));
    notice.replaceChildren(
      el("p", { class: "said" }, forkNotice.said),
      ...(forkNotice.caveat ? [el("p", {}, forkNotice.caveat)] : []),
      ...forkNotice.lines.map((l) => el("p", { class: "dropped" }, l)),
      back,
    );
  }

  function timeOfStep(k: number): number {
    return cursor.at(k).time;
  }

  /** A link is cut or healed both ways at once. */
  function linkAction(a: NodeId, b: NodeId): void {
    const snap = cursor.at(step);
    const cut = snap.blocked.has(`${a}>${b}`) || snap.blocked.has(`${b}>${a}`);
    const type = cut ? "heal" : "cut";
    act({ type, from: a, to: b }, { type, from: b, to: a });
  }

  // ---- inspector ----------------------------------------------------------------------------------
  function inspectorContext(): InspectorContext {
    return {
      snap: cursor.at(step),
      step,
      now: Math.max(time, cursor.at(step).time),
      index,
      nodes,
      sendLine: (m) => narration.sendLine(m.copyOf ?? m.id, m.sendStep),
      interactive: sim !== undefined && !recorded,
      requestExample: REQUEST_EXAMPLES[scenario.protocol ?? "raft"] ?? "x=#",
    };
  }

  function openNode(id: NodeId): void {
    const keyboard = document.activeElement instanceof SVGElement;
    inspector.showNode(id, inspectorContext(), keyboard);
    drawFrame();
  }

  function openMessage(id: number): void {
    pause();
    inspector.showMessage(id, inspectorContext());
    drawFrame();
  }

  // ---- position -----------------------------------------------------------------------------------
  /**
   * Every move of the position goes through here: the snapshot for `k` comes from the trace (nearest saved copy,
   * then forward), and only views that depend on the step are redrawn.
   */
  function seek(k: number, keepTime = false): void {
    animation = undefined;
    step = Math.max(0, Math.min(index.lastStep, Math.round(k)));
    if (!keepTime) {
      time = timeOfStep(step);
      playSeconds = pace.playAt(time);
    }
    drawStepViews(false);
    drawFrame();
  }

  function forward(): void {
    if (step >= index.lastStep && sim && !sim.stopped && !recorded) {
      // At the end of what was computed: let the simulation run on a while (once, not per frame).
      const before = events.length;
      sim.runFor(extendMs / 3);
      if (sim.trace.length > before) setTrace(sim.trace);
    }
    const from = Math.max(time, timeOfStep(step));
    const next = Math.min(index.lastStep, step + 1);
    if (next === step) return;
    // Messages this step delivers keep flying until they land: the step is animated, not jumped.
    const before = cursor.at(step);
    const flying = new Map(before.inFlight);
    step = next;
    const after = cursor.at(step);
    const arriving: Array<{ m: FlightMessage; f0: number }> = [];
    for (const [id, m] of flying) {
      if (after.inFlight.has(id)) continue;
      const span = m.deliverAt - m.sentAt;
      arriving.push({ m, f0: span <= 0 ? 1 : Math.max(0, Math.min(1, (from - m.sentAt) / span)) });
    }
    const to = after.time;
    playSeconds = pace.playAt(to);
    animation = { from, to, startedAt: performance.now(), duration: STEP_ANIMATION_MS / Math.max(1, speed), arriving };
    time = to;
    drawStepViews(false);
    drawFrame();
    if (!playing) {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(animate);
    }
    saveUrl();
  }

  function animate(now: number): void {
    if (!animation || playing) return;
    drawFrame(now);
    if (animation) frame = requestAnimationFrame(animate);
  }

  function back(): void {
    seek(step - 1);
    saveUrl();
  }

  function tick(now: number): void {
    if (!playing) return;
    const dt = Math.min(0.1, (now - lastFrameAt) / 1000);
    lastFrameAt = now;
    playSeconds += dt * speed;
    time = pace.timeAt(playSeconds);
    if (time >= index.endTime) {
      time = index.endTime;
      seek(index.lastStep);
      pause();
      return;
    }
    const k = stepAtTime(events, time);
    if (k > step) step = k;
    // While playing, the views that change per step (logs, tables, narration) are redrawn a few times a second:
    // the cluster and the diagram still move every frame, and pausing brings everything to the exact step.
    if (step !== drawnStep && now - stepViewsAt >= STEP_VIEWS_WHILE_PLAYING_MS) {
      stepViewsAt = now;
      drawStepViews(false);
    }
    drawFrame();
    frame = requestAnimationFrame(tick);
  }

  function play(): void {
    if (playing) return;
    if (step >= index.lastStep) seek(0);
    playing = true;
    animation = undefined;
    playBtn.textContent = "⏸ Pause";
    root.dataset.playing = "true";
    lastFrameAt = performance.now();
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(tick);
  }

  function pause(): void {
    if (!playing) return;
    playing = false;
    cancelAnimationFrame(frame);
    drawStepViews(false);
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

  // ---- drawing ------------------------------------------------------------------------------------
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
  }

  function renderJumps(): void {
    jumps.replaceChildren();
    for (const n of derived.notes) {
      const b = el("button", { type: "button", class: n.heading ? "jump heading" : "jump", "data-label": n.label, title: n.text }, n.label);
      b.addEventListener("click", () => {
        pause();
        seek(n.step);
        saveUrl();
      });
      jumps.append(b);
    }
    jumps.hidden = jumps.childElementCount === 0;
  }

  /** What depends on the step only: logs, acceptors, narration, extras, the banner, the panel. */
  function drawStepViews(force: boolean): void {
    if (error) {
      banner.hidden = false;
      banner.textContent = error;
      return;
    }
    if (!force && step === drawnStep && width === drawnWidth) return;
    const started = performance.now();
    const widthChanged = width !== drawnWidth;
    drawnStep = step;
    drawnWidth = width;
    const snap = cursor.at(step);
    slider.value = String(step);
    slider.setAttribute("aria-valuetext", `step ${step} of ${index.lastStep}`);
    // The log grid only changes when some server's view or status does.
    const views = nodes.flatMap((id) => [snap.nodes.get(id)?.view, snap.nodes.get(id)?.status]);
    const viewsChanged = force || widthChanged || views.length !== drawnViews.length || views.some((v, i) => v !== drawnViews[i]);
    drawnViews = views;
    logSection.hidden = !derived.hasLogs;
    if (derived.hasLogs && viewsChanged) logBox.replaceChildren(logGrid(events, { width, step, nodes, snapshot: snap }));
    acceptorSection.hidden = !derived.hasAcceptors;
    if (derived.hasAcceptors) {
      const table = acceptorTable(events, { step, nodes });
      replaceIfChanged(acceptorBox, table, force || widthChanged);
    }
    for (const x of extras) {
      const slot = extraSections.get(x.id) as { section: HTMLElement; box: HTMLElement };
      const on = derived.extras.includes(x);
      slot.section.hidden = !on;
      if (on && (!x.perRun || force || widthChanged || slot.box.childElementCount === 0)) replaceIfChanged(slot.box, x.render({ events, nodes, step, snapshot: snap, width, requests: sim?.requests }), force || widthChanged);
    }
    const lines = narration.latest(step, NARRATION_LINES);
    const list = el("ol", {}, ...lines.reverse().map((l) => el("li", { class: l.cls }, el("span", { class: "t" }, formatMs(l.time)), " ", l.text)));
    if (lines.length === 0) list.append(el("li", { class: "plain quiet" }, "Nothing yet: press play or step forward."));
    // Newest first: the list reads downwards from what just happened. Unchanged lines stay as they are.
    if (force || !list.isEqualNode(narrationCopy ?? null)) {
      narrationCopy = list.cloneNode(true) as HTMLOListElement;
      narrationList.replaceChildren(...list.childNodes);
    }
    renderBanner();
    for (const b of jumps.querySelectorAll<HTMLButtonElement>("button.jump")) {
      const n = derived.notes.find((x) => x.label === b.dataset.label);
      b.classList.toggle("passed", n !== undefined && n.step <= step);
    }
    if (outcome === undefined) outcome = outcomeText(events, nodes);
    resultLine.textContent = `${faults.length ? "How your changed run ends" : "How this run ends"}: ${outcome}`;
    inspector.refresh(inspectorContext());
    root.dataset.stepMs = (performance.now() - started).toFixed(2);
  }

  function renderBanner(): void {
    const violation = derived.violation;
    if (!violation || violation.kind !== "violation") {
      banner.hidden = true;
      return;
    }
    banner.hidden = false;
    const reached = step >= violation.step;
    banner.className = `violation-banner${reached ? " reached" : ""}`;
    const jump = el("button", { type: "button", "data-action": "jump-violation" }, "show me");
    jump.addEventListener("click", () => {
      pause();
      seek(violation.step);
      saveUrl();
    });
    const whose = faults.length ? "Your changed run" : "This run";
    banner.replaceChildren(el("strong", {}, reached ? "Invariant broken: " : `${whose} breaks an invariant at step ${violation.step}: `), `${violation.checker}: ${violation.message} `, jump);
  }

  /** What moves every frame: the cluster (messages, timers), the space-time window, the timeline cursor, the position. */
  function drawFrame(now = performance.now()): void {
    if (error) return;
    const started = performance.now();
    const snap = cursor.at(step);
    let shown = Math.max(time, snap.time);
    let arriving: Array<{ m: FlightMessage; f: number }> | undefined;
    if (animation) {
      const p = Math.min(1, (now - animation.startedAt) / animation.duration);
      const e = ease(p);
      shown = animation.from + (animation.to - animation.from) * e;
      arriving = p < 1 ? animation.arriving.map((a) => ({ m: a.m, f: a.f0 + (1 - a.f0) * e })) : undefined;
      if (p >= 1) animation = undefined;
    }
    root.dataset.step = String(step);
    root.dataset.time = String(Math.max(time, snap.time));
    position.textContent = `step ${step} / ${index.lastStep} · ${formatMs(shown)}`;
    if (widthChanged()) layoutCharts();
    cluster.update({ snap, now: shown, ...(arriving ? { arriving } : {}), selectedNode: inspector.selectedNode, selectedMessage: inspector.selectedMessage });
    spaceTime.update({ step, now: shown, selectedMessage: inspector.selectedMessage });
    if (!timelineSvg) {
      timelineSvg = timelineBand(events, { width, time: shown, nodes, onSeek: (t) => { pause(); seek(stepAtTime(events, t)); saveUrl(); }, onJump: (k) => { pause(); seek(k); saveUrl(); } });
      timelineBox.replaceChildren(timelineSvg);
    } else moveTimelineCursor(timelineSvg, shown);
    // How long drawing took, for the site benchmark's frame budget.
    root.dataset.renderMs = (performance.now() - started).toFixed(2);
  }

  let laidOutWidth = -1;
  const widthChanged = () => laidOutWidth !== width;
  function layoutCharts(): void {
    laidOutWidth = width;
    const wide = width >= 760;
    const clusterW = wide ? Math.floor(width * 0.55) : width;
    cluster.layout(nodes, clusterW, Math.round(Math.min(Math.max(clusterW * (wide ? 0.7 : 0.85), 260), 380)));
    spaceTime.layout(nodes, width);
    timelineSvg = undefined;
  }

  // ---- wiring -------------------------------------------------------------------------------------
  function restart(newSeed: number): void {
    pause();
    seed = newSeed;
    inspector.close();
    load();
    laidOutWidth = -1;
    step = 0;
    time = 0;
    playSeconds = 0;
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
  // Tapping a chart element that carries words (a log cell, a stretch of the timeline) shows them in the panel.
  for (const box of [timelineBox, logBox, ...[...extraSections.values()].map((x) => x.box)]) {
    box.addEventListener("click", (ev) => {
      const target = (ev.target as Element).closest?.("[data-info]");
      if (!target) return;
      inspector.showInfo("Details", target.getAttribute("data-info") ?? "", inspectorContext());
    });
  }

  /** Keys act on the player that holds the focus, or on the page's first player when focus is elsewhere. */
  const onKey = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement | null;
    const owner = target?.closest?.(".sim-player");
    if (owner ? owner !== root : document.querySelector(".sim-player") !== root) return;
    if (target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName) && !(e.key === " " && (target as HTMLInputElement).type === "range")) return;
    if (e.key === " " || e.key === "k") {
      e.preventDefault();
      if (playing) pause();
      else play();
    } else if (e.key === "ArrowRight" || e.key === "l") {
      e.preventDefault();
      pause();
      forward();
    } else if (e.key === "ArrowLeft" || e.key === "j") {
      e.preventDefault();
      pause();
      back();
    } else if (e.key === "Escape" && !inspector.element.hidden) {
      inspector.close();
    }
  };
  // A button activates on Space's keyup: inside the player, Space is the play key, so that activation is held back.
  const onKeyUp = (e: KeyboardEvent) => {
    if (e.key === " " && (e.target as HTMLElement | null)?.closest?.(".sim-player") === root && (e.target as HTMLElement).tagName === "BUTTON") e.preventDefault();
  };
  if (options.keyboard ?? true) {
    document.addEventListener("keydown", onKey);
    document.addEventListener("keyup", onKeyUp);
  }

  const resizeObserver = new ResizeObserver((entries) => {
    const w = Math.floor(entries[0]?.contentRect.width ?? width);
    if (w > 0 && Math.abs(w - width) > 4) {
      width = w;
      drawStepViews(true);
      drawFrame();
    }
  });
  resizeObserver.observe(root);

  if (recorded) {
    hint.textContent = "A recorded trace: step, play and jump freely, and click servers and messages to inspect them. To act on the run, open the scenario on its lesson page.";
    seedGroup.hidden = true;
    resetBtn.hidden = true;
    breakRow.hidden = true;
  }
  load();
  // A shared link's actions, replayed in order; actions after the same step (a link cut both ways) fork together.
  const linked = initial.faults ?? [];
  for (let i = 0; i < linked.length && sim; ) {
    const first = linked[i] as ReaderFault;
    const plain = first.action.type !== "drop" && first.action.type !== "duplicate";
    let j = i + 1;
    while (plain && j < linked.length && (linked[j] as ReaderFault).afterStep === first.afterStep && !["drop", "duplicate"].includes((linked[j] as ReaderFault).action.type)) j++;
    try {
      adoptFork(forkWith(sim, linked.slice(i, j), extendMs));
    } catch {
      // A link from another version of the run: skip the action rather than break the page.
    }
    i = j;
  }
  renderStatic();
  seek(initial.step ?? 0);

  return {
    element: root,
    seek: (k) => seek(k),
    play,
    pause,
    destroy() {
      pause();
      cancelAnimationFrame(frame);
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("keyup", onKeyUp);
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
