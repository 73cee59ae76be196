// Exercise 11 (KV sessions): the reference it is graded against, the classic mistakes it must catch and the exhaustive search that hunts them.

import { KvStore, type Command, type KvImage } from "@course/raft";
import { defineExercise } from "../../grading/exercise.js";
import { RAFT_SESSION_RETRIES, raftSessionRetries } from "../../grading/clusters/search-starts.js";

/** The course's state machine (KvStore.apply, §8) as a pure function of the state image. */
export function referenceApplyCommand(state: KvImage, command: Command): { state: KvImage; result: string | null } {
  const kv = KvStore.from(state);
  const result = kv.apply(command);
  return { state: kv.toJSON(), result };
}

type SessionRules = { applyCommand: typeof referenceApplyCommand };

/** Execute a client write on a copy of the data. */
function write(state: KvImage, command: Extract<Command, { kind: "client" }>): { data: Record<string, string>; result: string } {
  const { op } = command;
  const value = op.type === "append" ? (state.data[op.key] ?? "") + op.value : op.value;
  return { data: { ...state.data, [op.key]: value }, result: value };
}

export const sessionsExercise = defineExercise<SessionRules>({
  lesson: 11,
  folder: "11-kv-store",
  id: "sessions",
  title: "KV store: duplicate detection with client sessions",
  stubFile: "11-kv-store/exercise/sessions.ts",
  functions: ["applyCommand"],
  loadStudent: () => import("./sessions.js"),
  reference: { applyCommand: referenceApplyCommand },
  // The course's KvStore is the reference itself.
  forbiddenImports: ["KvStore"],
  checkResult: {
    applyCommand: (r) => {
      const x = r as { state?: { data?: unknown; sessions?: unknown }; result?: unknown } | null;
      if (typeof x !== "object" || x === null || typeof x.state !== "object" || x.state === null) return "it must return { state: { data, sessions }, result }";
      if (typeof x.state.data !== "object" || x.state.data === null || typeof x.state.sessions !== "object" || x.state.sessions === null) return "state must have `data` and `sessions` objects";
      return x.result === null || typeof x.result === "string" ? undefined : "result must be a string or null";
    },
  },
  mutants: {
    "no-duplicate-detection": {
      searchFinds: true,
      description: "executes every committed command, so a retried append is applied twice",
      functions: {
        applyCommand: (state, command) => {
          if (command.kind !== "client") return { state, result: null };
          const { data, result } = write(state, command);
          return { state: { data, sessions: state.sessions }, result };
        },
      },
    },
    "only-the-same-number-is-a-repeat": {
      searchFinds: true,
      description: "treats only a command with exactly the last number as a repeat, so an older retry that arrives late runs again",
      functions: {
        applyCommand: (state, command) => {
          if (command.kind !== "client") return { state, result: null };
          const seen = state.sessions[command.client];
          if (command.seq !== undefined && seen !== undefined && command.seq === seen.seq) return { state, result: seen.result };
          const { data, result } = write(state, command);
          const sessions = command.seq === undefined ? state.sessions : { ...state.sessions, [command.client]: { seq: command.seq, result } };
          return { state: { data, sessions }, result };
        },
      },
    },
    "one-session-for-everyone": {
      description: "keeps one command counter for all clients, so a client's write is dropped as a 'repeat' of another client's",
      functions: {
        applyCommand: (state, command) => {
          if (command.kind !== "client") return { state, result: null };
          const seen = state.sessions["*"];
          if (command.seq !== undefined && seen !== undefined && command.seq <= seen.seq) return { state, result: seen.result };
          const { data, result } = write(state, command);
          const sessions = command.seq === undefined ? state.sessions : { ...state.sessions, "*": { seq: command.seq, result } };
          return { state: { data, sessions }, result };
        },
      },
    },
    "session-never-updates": {
      searchFinds: true,
      description: "records a client's session at its first command only, so a retry of its second or later command runs again",
      functions: {
        applyCommand: (state, command) => {
          const seen = command.kind === "client" ? state.sessions[command.client] : undefined;
          if (command.kind !== "client" || command.seq === undefined || seen === undefined || command.seq <= seen.seq) return referenceApplyCommand(state, command);
          const { data, result } = write(state, command);
          return { state: { data, sessions: state.sessions }, result };
        },
      },
    },
    "repeat-lowers-session": {
      searchFinds: true,
      description: "a late older repeat writes its number into the session, so a retry of the client's newest command runs a second time",
      functions: {
        applyCommand: (state, command) => {
          const step = referenceApplyCommand(state, command);
          const seen = command.kind === "client" ? state.sessions[command.client] : undefined;
          if (command.kind !== "client" || command.seq === undefined || seen === undefined || command.seq >= seen.seq) return step;
          return { state: { data: step.state.data, sessions: { ...state.sessions, [command.client]: { seq: command.seq, result: seen.result } } }, result: step.result };
        },
      },
    },
    "seq-zero-unnumbered": {
      searchFinds: true,
      description: "tests seq for truthiness, so command number 0 counts as unnumbered and runs again on every retry",
      functions: {
        applyCommand: (state, command) => {
          if (command.kind !== "client" || command.seq !== 0) return referenceApplyCommand(state, command);
          const { seq: _zero, ...unnumbered } = command;
          return referenceApplyCommand(state, unnumbered);
        },
      },
    },
    "result-is-operand": {
      searchFinds: true,
      description: "answers an append with the value sent instead of the key's new value",
      functions: {
        applyCommand: (state, command) => {
          const step = referenceApplyCommand(state, command);
          if (command.kind !== "client" || step.result === null || step.state === state) return step;
          const sessions = command.seq === undefined ? step.state.sessions : { ...step.state.sessions, [command.client]: { seq: command.seq, result: command.op.value } };
          return { state: { data: step.state.data, sessions }, result: command.op.value };
        },
      },
    },
    "repeat-answers-current-value": {
      description: "answers a repeat with the key's current value instead of the result the command had, so a retry sees a later write's effect",
      functions: {
        applyCommand: (state, command) => {
          const step = referenceApplyCommand(state, command);
          if (command.kind !== "client" || command.seq === undefined) return step;
          const seen = state.sessions[command.client];
          return seen !== undefined && command.seq <= seen.seq ? { state: step.state, result: state.data[command.op.key] ?? null } : step;
        },
      },
    },
  },
  search: {
    hint: "the log holds a client's retried commands (1 and 2 twice each; 1, 2, 1, 2; or 0 twice): after a command runs, what must the session remember so that no later copy of it, or of an older command, runs again?",
    searches: (impl) => {
      const options = { protocol: "raft", rules: { applyCommand: impl.applyCommand }, drops: 0, duplicates: 1, timers: 0, crashes: 0, requests: 0, lifetime: 0 } as const;
      return [
        { label: "commands 1 and 2, each retried at once", options: { ...options, depth: 6 }, start: RAFT_SESSION_RETRIES },
        { label: "command 1 retried late, after command 2", options: { ...options, depth: 4 }, start: raftSessionRetries([1, 2, 1, 2]) },
        { label: "command 0 retried", options: { ...options, depth: 4 }, start: raftSessionRetries([0, 0]) },
      ];
    },
  },
});
