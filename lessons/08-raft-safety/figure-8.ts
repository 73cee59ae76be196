// Lesson 8, scenarios 2 and 3: the Raft paper's Figure 8 with its terms, and its two futures after (c), (d) and (e).

import { buggyRules, finishStory, raftDescriber, readDurableState, runFigure8, FIGURE8_SERVERS, type Figure8Future, type Figure8Phase, type RaftMessage, type RaftNode } from "@course/raft";
import { raftInvariants } from "@course/check";
import type { Simulation, TraceEvent } from "@course/sim";
import type { Scenario } from "../lesson.js";

type Sim = Simulation<RaftMessage>;

/** The terms of a server's log: from memory while it runs, from its disk while it is down. */
export function logTerms(sim: Sim, id: number): number[] {
  const node = sim.node<RaftNode>(id);
  const entries = node !== undefined ? node.log.all() : readDurableState(sim.storage(id)).entries;
  return entries.map((e) => e.term);
}

/** "S1 [1,2] (down), S2 [1,2], ...": every server's log by term, as the paper draws it. */
export function logsByTerm(sim: Sim): string {
  return FIGURE8_SERVERS.map((id) => `S${id} [${logTerms(sim, id).join(",")}]${sim.isUp(id) ? "" : " (down)"}`).join(", ");
}

/** Servers that granted `candidate` their vote in `term`, from the replies they sent. */
export function votersFor(trace: readonly TraceEvent[], candidate: number, term: number): number[] {
  return trace
    .flatMap((e) => {
      const m = e.kind === "send" && e.to === candidate ? (e.msg as RaftMessage) : undefined;
      return m?.type === "RequestVoteReply" && m.term === term && m.voteGranted && e.kind === "send" ? [e.from] : [];
    })
    .sort((a, b) => a - b);
}

/** Terms in which `candidate` asked for votes. */
export function campaignTerms(trace: readonly TraceEvent[], candidate: number, from = 0): number[] {
  const terms = trace.flatMap((e) => (e.kind === "send" && e.from === candidate && e.seq >= from && e.msg.type === "RequestVote" ? [(e.msg as RaftMessage).term] : []));
  return [...new Set(terms)];
}

const node = (sim: Sim, id: number) => sim.node<RaftNode>(id);
/** "commit index 3 on every server", or each server's. */
function commitIndexes(sim: Sim): string {
  const commits = FIGURE8_SERVERS.map((id) => node(sim, id)?.commitIndex ?? 0);
  return commits.every((c) => c === commits[0]) ? `commit index ${commits[0]} on every server` : `commit indexes ${commits.join(", ")}`;
}
const list = (ids: readonly number[]) => (ids.length <= 1 ? ids.map((i) => `S${i}`).join("") : `${ids.slice(0, -1).map((i) => `S${i}`).join(", ")} and S${ids[ids.length - 1]}`);
const holdersOf = (sim: Sim, index: number, term: number) => FIGURE8_SERVERS.filter((id) => logTerms(sim, id)[index - 1] === term);

/** What (c) left behind, for the notes of the futures. */
interface Marks {
  /** Trace position where the futures begin. */
  forkSeq: number;
  /** Servers holding entry 2 of term 2 at the end of (c). */
  holdersAtC: number[];
}

const HEADINGS: Record<Figure8Phase, string> = {
  prelude: "Before (a): S1 leads term 1 and commits entry 1 on every server, then reboots",
  a: "(a) S1 leads term 2; entry 2 reaches only S2",
  b: "(b) S1 crashes; S5 wins term 3 and takes a different entry 2",
  c: "(c) S5 crashes; S1 returns, wins term 4 and copies entry 2 of term 2 to S3",
  d: "(d) S1 crashes; S5 returns, wins term 5 and overwrites entry 2",
  e: "(e) Instead, S1 first commits an entry of its own term 4, then crashes",
  after: "",
};

/** The note that says, once the run is in the state the paper draws, what that state is: every number read from it. */
function panelNote(phase: Figure8Phase, future: Figure8Future, sim: Sim, marks: Marks): [string, string] | undefined {
  const trace = sim.trace;
  switch (phase) {
    case "prelude": {
      const s1 = node(sim, 1);
      return [
        "prelude",
        `Entry 1 (term 1) is on all five servers and committed. S1 rebooted and won term ${s1?.currentTerm} with the votes of ${list(votersFor(trace, 1, 2))}, so the terms from here on are the paper's. As in the figure, a new leader here appends no no-op (§8): its log holds only what earlier leaders left. Logs by term: ${logsByTerm(sim)}.`,
      ];
    }
    case "a":
      return [
        "figure-8a",
        `(a) S1 leads term ${node(sim, 1)?.currentTerm}. Entry 2 (term 2) is on ${list(holdersOf(sim, 2, 2))} only, ${holdersOf(sim, 2, 2).length} of 5: the links from S1 to S3, S4 and S5 failed before it left. S1's commit index reads ${node(sim, 1)?.commitIndex}: the commit index is not kept on disk, and a leader learns it again only once an entry of its own term is on a majority. Logs by term: ${logsByTerm(sim)}.`,
      ];
    case "b": {
      const refused = FIGURE8_SERVERS.filter((id) => id !== 5 && sim.isUp(id) && !votersFor(trace, 5, 3).includes(id));
      return [
        "figure-8b",
        `(b) S5 leads term ${node(sim, 5)?.currentTerm} with the votes of ${list(votersFor(trace, 5, 3).filter((id) => id !== 5))} and its own. ${list(refused)} refused: its last entry (term ${logTerms(sim, refused[0] ?? 2).at(-1)}) is later than S5's (term 1). S5 accepted a client's command as its own entry 2, of term 3, but its links to the others had failed, so only S5 holds it. Logs by term: ${logsByTerm(sim)}.`,
      ];
    }
    case "c": {
      const s1 = node(sim, 1) as RaftNode;
      const holders = holdersOf(sim, 2, 2);
      const naive = s1.commitIndex >= 2;
      return [
        "figure-8c",
        `(c) S1 leads term ${s1.currentTerm} with the votes of ${list(votersFor(trace, 1, 4).filter((id) => id !== 1))} and its own (the link from S1 to S4 is down, so S4 hears nothing from it, as in the figure). Entry 2 of term 2 is now on ${list(holders)}: ${holders.length} of 5, a majority. ` +
          (naive
            ? `S1's commit index is ${s1.commitIndex}: the naive rule counted the copies of entry 2 and called it committed.`
            : `It is not committed: S1 counts copies only for entries of its own term ${s1.currentTerm}, and its commit index is still ${s1.commitIndex}.`) +
          ` Logs by term: ${logsByTerm(sim)}.`,
      ];
    }
    case "d": {
      const s5 = node(sim, 5) as RaftNode;
      const voters = votersFor(trace, 5, s5.currentTerm).filter((id) => id !== 5);
      const heldIt = voters.filter((id) => marks.holdersAtC.includes(id));
      return [
        "figure-8d",
        `(d) S5 leads term ${s5.currentTerm} with the votes of ${list(voters)}. ${list(heldIt)} held entry 2 of term 2 and still voted for S5: the election restriction compares last entries, and S5's (term 3) is later than theirs (term 2). S5 has replaced entry 2 on ${list(holdersOf(sim, 2, 3).filter((id) => id !== 5))} with its own, of term 3. Entry 2 of term 2 sat on a majority in (c) and is gone from every running server: had it counted as committed, a committed entry would now be lost. Logs by term: ${logsByTerm(sim)}.`,
      ];
    }
    case "e": {
      const s1 = node(sim, 1) as RaftNode;
      return [
        "figure-8e",
        `(e) S1 replicated a client's command as entry 3, of its own term ${s1.currentTerm}, on ${list(holdersOf(sim, 3, 4))}: a majority, so entry 3 is committed, and entry 2 before it with it. S1's commit index is ${s1.commitIndex}, and ${list([2, 3].filter((id) => node(sim, id)?.commitIndex === s1.commitIndex))} have learned it from S1's next heartbeat. Now S1 crashes and S5 returns. Logs by term: ${logsByTerm(sim)}.`,
      ];
    }
    case "after": {
      if (future === "d") {
        const s5 = node(sim, 5) as RaftNode;
        return [
          "after-d",
          `S5 replicated a client's command as entry 3, of its term ${s5.currentTerm}, on a majority and committed it; entry 2 of term 3 before it is committed with it, indirectly. S1 came back and its entry 2 of term 2 was replaced too. Nothing committed was lost: entry 2 of term 2 never was committed. ${commitIndexes(sim)}. Logs by term: ${logsByTerm(sim)}.`,
        ];
      }
      const tries = campaignTerms(trace, 5, marks.forkSeq);
      const leader = FIGURE8_SERVERS.map((id) => node(sim, id)).find((n) => n?.role === "leader") as RaftNode;
      return [
        "after-e",
        `S5 asked for votes in terms ${tries.length === 2 ? tries.join(" and ") : `${tries[0]} to ${tries.at(-1)}`} and never won: S2 and S3 refused every time, since their last entry (term 4) is later than S5's (term 3), and three of five votes cannot be had without one of them. S${leader.id} won term ${leader.currentTerm} with the votes of ${list(votersFor(trace, leader.id, leader.currentTerm).filter((id) => id !== leader.id))} and replaced S5's entry 2 of term 3, which had never been committed. Entries 2 and 3 survived everywhere. Logs by term: ${logsByTerm(sim)}.`,
      ];
    }
  }
}

function figure8Scenario(future: Figure8Future): Scenario {
  const other = future === "d" ? "figure-8e" : "figure-8";
  const id = future === "d" ? "figure-8" : "figure-8e";
  return {
    id,
    title: future === "d" ? "Figure 8, (a)-(d): an old-term entry on a majority is overwritten" : "Figure 8, (a)-(c) then (e): an entry of the current term protects the ones before it",
    summary:
      future === "d"
        ? "The paper's Figure 8 on servers S1-S5, with its terms. In (c) an entry of term 2 sits on a majority but is not committed, because it is not of the current term; in (d) S5 wins anyway and overwrites it. Nothing committed is lost. With the naive rule the entry is declared committed in (c), S5 still wins in (d), and the checker flags the loss. The other future from (c) is scenario figure-8e."
        : "The same (a) to (c), then the paper's other future: before it crashes, S1 replicates an entry of its own term 4 on a majority, which commits it and the old entry before it. S5 can no longer win: a majority now holds a later last term than S5's. The future where S1 crashes first is scenario figure-8.",
    protocol: "raft",
    defaultSeed: 8,
    ...(future === "d" ? { variants: { "naive-commit": "The leader commits any entry stored on a majority, whatever its term (the rule Figure 8 warns against)." } } : {}),
    describe: raftDescriber(),
    run({ seed, variant }) {
      const naive = variant === "naive-commit";
      let commitAtC = 0;
      const marks: Marks = { forkSeq: 0, holdersAtC: [] };
      const sim = runFigure8({
        seed,
        future,
        hooks: raftInvariants(),
        ...(naive ? { rules: buggyRules["commit-old-term-by-counting"] } : {}),
        onPhase: (phase, moment, s) => {
          if (s.stopped) return;
          if (moment === "begin") {
            if (HEADINGS[phase] !== "") s.heading(HEADINGS[phase]);
            return;
          }
          if (phase === "c") {
            commitAtC = node(s, 1)?.commitIndex ?? 0;
            marks.forkSeq = s.trace.length;
            marks.holdersAtC = holdersOf(s, 2, 2);
          }
          const panel = panelNote(phase, future, s, marks);
          if (panel !== undefined) s.note(panel[1], { label: panel[0] });
          if (phase === "c") {
            s.note(`Two futures can follow (c). This scenario plays ${future === "d" ? "(d): S1 crashes before doing anything more" : "(e): S1 first commits an entry of its own term"}; scenario ${other} plays the other.`);
          }
        },
      });
      if (sim.stopped) {
        const leader = FIGURE8_SERVERS.map((i) => node(sim, i)).find((n) => n?.role === "leader");
        sim.note(`S${leader?.id ?? "?"} won term ${leader?.currentTerm ?? "?"} without entry 2 of term 2, which the naive rule had counted as committed in (c). Every later leader must hold every committed entry; the checker stops the run here.`, { label: "violation" });
        return finishStory(sim, `naive rule: entry 2 of term 2 was counted as committed in (c) (commit index ${commitAtC}), then S5 won term ${leader?.currentTerm ?? "?"} without it; the checker flags ${sim.violation?.checker}: ${sim.violation?.message}.`);
      }
      return finishStory(
        sim,
        `${naive ? "naive" : "Raft's"} rule, future (${future}): S1's commit index at the end of (c) was ${commitAtC}, so entry 2 of term 2 was not committed then; final logs by term ${logsByTerm(sim)}, ${commitIndexes(sim)}; no invariant broken.`,
      );
    },
  };
}

export const figure8 = figure8Scenario("d");
export const figure8e = figure8Scenario("e");
