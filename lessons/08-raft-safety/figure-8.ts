// Lesson 8, scenario 2: Figure 8 of the Raft paper, with the correct commit rule and with the naive one.

import { buggyRules, finishStory, raftDescriber, raftNodes, runFigure8, type RaftNode } from "@course/raft";
import { raftInvariants } from "@course/check";
import type { Simulation } from "@course/sim";
import type { RaftMessage } from "@course/raft";
import type { Scenario } from "../lesson.js";

const logs = (sim: Simulation<RaftMessage>) => raftNodes(sim).map((n: RaftNode) => `S${n.id}[${n.log.all().map((e) => e.term).join(",")}]`).join(" ");

const PHASES = {
  a: ["(a) S1 leads term 1; entry 2 reaches only S2", "S1 commits entry 1 everywhere, then takes entry 2 while it can reach only S2, and crashes."],
  b: ["(b) S5 wins term 2 and takes a different entry 2", "S5's log (entry 1 only) is as up to date as S3's and S4's, so they elect it. S5 accepts its own entry 2 of term 2, sends it nowhere, and crashes."],
  c: ["(c) S1 returns, wins term 3 and copies its old entry 2 to a majority", "S1 now leads term 3 and brings S3 and S4 up to date: entry 2 of term 1 is on S1, S2, S3 and S4. Is it committed? The naive rule says yes (a majority holds it). Raft says no: it is from term 1, not the current term 3."],
  d: ["(d) S1 crashes; S5 returns and wins term 4", "S5's last entry has term 2, later than everyone's term 1, so S2, S3 and S4 all vote for it. As leader it overwrites entry 2 everywhere with its own."],
  e: ["(e) S5 commits in its own term", "A client command in term 4 reaches a majority; committing it also commits S5's entry 2 before it. Nothing committed was lost."],
} as const;

export const figure8: Scenario = {
  id: "figure-8",
  title: "Figure 8: why old-term entries are not committed by counting",
  summary: "The paper's Figure 8 on servers 1-5. An entry from an old term can sit on a majority and still be overwritten by a later leader. With Raft's rule (count only entries of the current term) nothing committed is lost; with the naive rule the entry is declared committed in (c) and erased in (d), and the checker catches it.",
  protocol: "raft",
  defaultSeed: 8,
  variants: { "naive-commit": "The leader commits any entry stored on a majority, whatever its term (the rule Figure 8 warns against)." },
  describe: raftDescriber(),
  run({ seed, variant }) {
    const naive = variant === "naive-commit";
    let commitAtC = 0;
    const sim = runFigure8({
      seed,
      hooks: raftInvariants(),
      ...(naive ? { rules: buggyRules["commit-old-term-by-counting"] } : {}),
      onPhase: (phase, s) => {
        if (s.stopped) return;
        if (phase === "d") commitAtC = Math.max(0, ...raftNodes(s).map((n) => n.commitIndex));
        const [title, text] = PHASES[phase];
        s.heading(title, `figure-8${phase}`);
        s.note(phase === "a" ? text : `${text} Logs by term: ${logs(s)}.`);
      },
    });
    if (sim.stopped) {
      return finishStory(sim, `naive rule: entry 2 of term 1 was counted as committed in (c) (commit index ${commitAtC}), then S5 won term 4 without it; the checker flags ${sim.violation?.checker}: ${sim.violation?.message}.`);
    }
    const s5 = sim.node<RaftNode>(5) as RaftNode;
    return finishStory(sim, `${naive ? "naive" : "Raft's"} rule: commit index after (c) was ${commitAtC}, so entry 2 of term 1 was never committed; final logs ${logs(sim)}, commit index ${s5.commitIndex} everywhere; no invariant broken.`);
  },
};
