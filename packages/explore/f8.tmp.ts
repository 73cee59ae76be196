import { resolveRun, scriptChoices, searchSimulation, take } from "./src/index.js";
import { take as take2 } from "./src/run.js";
import type { RaftNode } from "@course/raft";
const run = resolveRun({ protocol: "raft", variant: "naive-commit" });
const steps: any[] = [{ timer: 0, name: "election" }, { deliver: [0, 1, "RequestVote"] }, { deliver: [1, 0, "RequestVoteReply"] }, { dropAll: true },
 { timer: 1, name: "election" }, { deliver: [1, 2, "RequestVote"] }, { deliver: [2, 1, "RequestVoteReply"] }, { dropAll: true },
 { timer: 0, name: "heartbeat" }, { deliver: [0, 2, "AppendEntries"] }, { deliver: [2, 0, "AppendEntriesReply"] }, { dropAll: true },
 { timer: 0, name: "election" }, { deliver: [0, 2, "RequestVote"] }, { deliver: [2, 0, "RequestVoteReply"] }];
const choices = scriptChoices(run, steps);
const { sim, scheduler } = searchSimulation(run, false);
for (const c of choices) take2(sim, scheduler, c);
const show = () => { for (const id of [0,1,2]) { const n = sim.node<RaftNode>(id)!; console.log(id, n.role, n.currentTerm, n.commitIndex, JSON.stringify(n.log.all().map(e=>[e.term,e.command.kind]))); } console.log(sim.pendingEvents().map(e => e.kind === "deliver" ? `${e.from}>${e.to} ${JSON.stringify(e.msg).slice(0,150)}` : `timer ${e.node} ${e.name}`).join("\n")); console.log(sim.violation); };
show();
