// Graded suite for exercise 11: duplicate detection with client sessions (§8), alone and inside a Raft cluster under faults.

import type { Command, KvImage } from "@course/raft";
import { gradedSuite } from "../../grading/graded.js";
import { expectRule, frozen } from "../../grading/failure.js";
import { runRaft } from "../../grading/clusters/raft.js";
import { sessionsExercise } from "./exercise.js";

const RULE = "Raft §8, client sessions: execute each numbered command once; answer a repeat from the client's session";
const image = (data: Record<string, string>, sessions: Record<string, { seq: number; result: string | null }> = {}): KvImage => frozen({ data, sessions });
const append = (client: string, key: string, value: string, seq?: number): Command =>
  frozen(seq === undefined ? { kind: "client", client, op: { type: "append", key, value } } : { kind: "client", client, seq, op: { type: "append", key, value } });
const put = (client: string, key: string, value: string, seq: number): Command => frozen({ kind: "client", client, seq, op: { type: "put", key, value } });

gradedSuite(sessionsExercise, (g) => {
  g.unit(1, "a first command from a client is executed and its session remembered", ({ applyCommand }) => {
    const s = image({});
    const c = append("a", "x", "1;", 1);
    expectRule({ rule: RULE, input: { state: s, command: c } }, applyCommand(s, c), { state: { data: { x: "1;" }, sessions: { a: { seq: 1, result: "1;" } } }, result: "1;" });
  });

  g.unit(1, "put replaces, append extends", ({ applyCommand }) => {
    const s = image({ x: "1;" }, { a: { seq: 1, result: "1;" } });
    const first = applyCommand(s, append("a", "x", "2;", 2));
    const second = applyCommand(first.state, put("a", "x", "new", 3));
    expectRule({ rule: RULE, input: { state: s, commands: ["append x 2; (seq 2)", "put x new (seq 3)"] } }, [first.result, second.result, second.state.data], ["1;2;", "new", { x: "new" }]);
  });

  g.unit(3, "§8: a retried command (same number) is not executed again and gets its first result", ({ applyCommand }) => {
    const s = image({ x: "1;2;" }, { a: { seq: 2, result: "1;2;" } });
    const c = append("a", "x", "2;", 2);
    expectRule(
      { rule: RULE, input: { state: s, command: c }, hint: "the client retried because the answer was lost; the log holds the command twice, but it must take effect once" },
      applyCommand(s, c),
      { state: { data: { x: "1;2;" }, sessions: { a: { seq: 2, result: "1;2;" } } }, result: "1;2;" },
    );
  });

  g.unit(2, "§8: an older command that arrives late is a repeat too", ({ applyCommand }) => {
    const s = image({ x: "1;2;3;" }, { a: { seq: 3, result: "1;2;3;" } });
    const c = append("a", "x", "2;", 2);
    expectRule({ rule: RULE, input: { state: s, command: c }, hint: "a client sends command n+1 only after n was answered, so anything at or below the last number has run" }, applyCommand(s, c).state.data, { x: "1;2;3;" });
  });

  g.unit(3, "§8: a client's second command updates its session, so a retry of it is a repeat", ({ applyCommand }) => {
    const s = image({ x: "1;" }, { a: { seq: 1, result: "1;" } });
    const second = applyCommand(s, append("a", "x", "2;", 2));
    const retry = applyCommand(second.state, append("a", "x", "2;", 2));
    expectRule(
      { rule: RULE, input: { state: s, commands: ["append x 2; (seq 2)", "the same command again (a retry)"] }, hint: "the session must remember the client's newest command, not only its first" },
      [second.result, retry.result, retry.state.data],
      ["1;2;", "1;2;", { x: "1;2;" }],
    );
  });

  g.unit(2, "§8: a late older repeat leaves the session at the newest command", ({ applyCommand }) => {
    const s = image({ x: "1;2;3;" }, { a: { seq: 3, result: "1;2;3;" } });
    const late = applyCommand(s, append("a", "x", "2;", 2));
    const retry = applyCommand(late.state, append("a", "x", "3;", 3));
    expectRule(
      { rule: RULE, input: { state: s, commands: ["append x 2; (seq 2, a late copy)", "append x 3; (seq 3, a retry)"] }, hint: "a repeat changes nothing, the session included: after it, command 3 is still the newest the client has run" },
      [retry.result, retry.state.data],
      ["1;2;3;", { x: "1;2;3;" }],
    );
  });

  g.unit(1, "§8: command number 0 is a number like any other", ({ applyCommand }) => {
    const s = image({});
    const first = applyCommand(s, append("a", "x", "0;", 0));
    const retry = applyCommand(first.state, append("a", "x", "0;", 0));
    expectRule({ rule: RULE, input: { state: s, commands: ["append x 0; (seq 0)", "the same command again (a retry)"] }, hint: "seq 0 is a number (0 is falsy in JavaScript: compare with undefined)" }, [retry.result, retry.state.data], ["0;", { x: "0;" }]);
  });

  g.unit(2, "§8: the answer to a repeat is the result it had, not the key's value now", ({ applyCommand }) => {
    const s = image({ x: "1;9;" }, { a: { seq: 1, result: "1;" }, b: { seq: 1, result: "1;9;" } });
    const c = append("a", "x", "1;", 1);
    expectRule({ rule: RULE, input: { state: s, command: c }, hint: "another client wrote since; the retried command must get the same answer as the first time" }, applyCommand(s, c).result, "1;");
  });

  g.unit(3, "sessions are per client: another client's numbers are unrelated", ({ applyCommand }) => {
    const s = image({ x: "a1;" }, { a: { seq: 5, result: "a1;" } });
    const c = append("b", "x", "b1;", 1);
    expectRule(
      { rule: RULE, input: { state: s, command: c }, hint: "client b's command 1 is new even though client a is at 5" },
      applyCommand(s, c),
      { state: { data: { x: "a1;b1;" }, sessions: { a: { seq: 5, result: "a1;" }, b: { seq: 1, result: "a1;b1;" } } }, result: "a1;b1;" },
    );
  });

  g.unit(1, "a command without a number is always executed", ({ applyCommand }) => {
    const s = image({ x: "1;" }, { a: { seq: 4, result: "1;" } });
    const c = append("a", "x", "z;");
    expectRule({ rule: RULE, input: { state: s, command: c } }, applyCommand(s, c), { state: { data: { x: "1;z;" }, sessions: { a: { seq: 4, result: "1;" } } }, result: "1;z;" });
  });

  g.unit(1, "no-op and configuration entries change nothing", ({ applyCommand }) => {
    const s = image({ x: "1;" }, { a: { seq: 1, result: "1;" } });
    const noop: Command = frozen({ kind: "noop" });
    const config: Command = frozen({ kind: "config", members: [1, 2, 3] });
    expectRule({ rule: RULE, input: { state: s, commands: [noop, config] } }, [applyCommand(s, noop), applyCommand(s, config)], [{ state: s, result: null }, { state: s, result: null }]);
  });

  g.simulation(6, "clients retry on several servers through crashes and partitions: every acknowledged write applied exactly once", {
    protocol: "raft",
    seeds: 30,
    hint: "find a write that appears twice (or not at all) in the final state: which log entries carried it, and what did the session table say when the second one was applied?",
    run: (impl, run) => runRaft(run, { raft: {}, applyCommand: impl.applyCommand, clients: 3 }),
  });

  g.simulation(4, "leader changes with many retries in flight: no write lost, none doubled", {
    protocol: "raft",
    seeds: 20,
    hint: "after a leader change the same command can be in the log several times; only the first copy may take effect",
    run: (impl, run) => runRaft(run, { raft: {}, applyCommand: impl.applyCommand, rates: { crash: 1.5, partition: 1.2, cut: 0.5 }, clients: 4 }),
  });

  g.simulation(4, "a leader paused for a long time while its clients retry elsewhere: every command runs once", {
    protocol: "raft",
    seeds: 20,
    hint: "the paused leader still holds the clients' commands; when it resumes, copies of commands a new leader already ran reach the log: each must be answered from the session",
    run: (impl, run) => runRaft(run, { raft: {}, applyCommand: impl.applyCommand, rates: { partition: 0.4, lossy: 0.3 }, leaderFault: { kind: "pause", at: 600, ms: 1200 }, clients: 3 }),
  });
  g.exhaustive(4, "exhaustive search: a client retries commands at once, late, and numbered 0; every order of the next deliveries with 1 duplicated message");
});
