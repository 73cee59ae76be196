// Case 4: once a majority has accepted a value, a later proposer with another value must adopt the chosen one.

import { compareBallots, describePaxosEvent, finishStory, formatBallot, headingBefore, paxosMutants } from "@course/paxos";
import type { Scenario } from "../lesson.js";
import { asRun, inspect, paxosCluster } from "./cluster.js";

const FIRST = 2;
const LATE = 4;

export const chosenSurvives: Scenario = {
  id: "chosen-survives",
  title: "A chosen value survives a competing proposer",
  summary:
    "Proposer 2 gets 'x=42' chosen by acceptors 0, 1 and 2 while nodes 3 and 4 are cut off. Then proposer 4, which never heard of it, proposes 'y=7'. Its promises report 'x=42', so it proposes 'x=42' itself. In the broken variant it ignores them and the checker catches two chosen values.",
  protocol: "paxos",
  defaultSeed: 1,
  variants: { "ignore-accepted": paxosMutants.ignoreAcceptedValues.description },
  describe: describePaxosEvent,
  run({ seed, variant }) {
    const broken = variant === "ignore-accepted";
    const sim = paxosCluster(seed, {
      node: broken ? { rules: paxosMutants.ignoreAcceptedValues.rules } : {},
      faults: [{ at: 0, action: { type: "partition", groups: [[0, 1, 2], [3, 4]] } }],
    });
    sim.runUntilTime(0);
    sim.heading("Case 4: a chosen value never changes; the network is split into [0, 1, 2] and [3, 4]", "case-4-chosen-survives");
    sim.heading(`Proposer ${FIRST} proposes 'x=42' inside [0, 1, 2]`);
    sim.request(FIRST, "x=42");
    sim.runUntil(() => inspect(sim, FIRST)?.learned !== undefined, { timeout: 2000 });
    sim.note(`'x=42' is chosen: acceptors ${[0, 1, 2, 3, 4].filter((id) => inspect(sim, id)?.acceptor.accepted?.v === "x=42").join(", ")} accepted it; nodes 3 and 4 never heard of it.`, { label: "first-value" });
    sim.runFor(15);
    sim.heading(`The partition heals; proposer ${LATE}, which never heard of it, proposes 'y=7'`, "competing-proposer");
    sim.apply({ type: "heal" });
    sim.request(LATE, "y=7");
    headingBefore(sim, () => inspect(sim, LATE)?.proposer.phase === "accept" || sim.stopped, `Proposer ${LATE} picks the value for phase 2`, undefined, 3000);
    sim.runUntil(() => inspect(sim, LATE)?.proposer.phase === "accept" || sim.stopped, { timeout: 3000 });
    const proposing = inspect(sim, LATE)?.proposer.proposing;
    sim.note(
      proposing === "y=7"
        ? `Proposer ${LATE} sends its own 'y=7' although its promises report 'x=42' accepted: this broken proposer ignores them.`
        : `Proposer ${LATE} sends '${proposing ?? "?"}' in phase 2, not its client's 'y=7': a promise reported it accepted, so it may already be chosen (it is).`,
      { label: "adopt" },
    );
    sim.runUntil(() => inspect(sim, LATE)?.learned !== undefined || sim.stopped, { timeout: 3000 });
    sim.runFor(20);
    const late = inspect(sim, LATE);
    const reported = [...(late?.proposer.promises ?? new Map()).entries()].filter(([, p]) => p.accepted !== undefined);
    const highest = reported.reduce<undefined | [number, (typeof reported)[number][1]]>((best, cur) => (best === undefined || compareBallots(cur[1].accepted?.n, best[1].accepted?.n) > 0 ? cur : best), undefined);
    if (sim.violation) {
      return asRun(finishStory(sim, `the checker stopped the run: ${sim.violation.checker}: ${sim.violation.message}.`));
    }
    return asRun(
      finishStory(
        sim,
        `proposer ${LATE} asked for 'y=7' but proposed '${late?.proposer.proposing ?? "?"}', reported by acceptor${reported.length > 1 ? "s" : ""} ${reported.map(([id]) => id).join(", ")}${highest ? ` (highest n=${formatBallot(highest[1].accepted?.n)})` : ""}; the chosen value is still '${late?.learned ?? "?"}'.`,
      ),
    );
  },
};
