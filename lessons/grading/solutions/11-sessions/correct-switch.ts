// Corpus, exercise 11: a correct solution with a switch over the command kinds and the operation types.

import type { Command, KvImage } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: true, why: "switches on kind and op.type; builds the new state with spreads" };

export function applyCommand(state: KvImage, command: Command): { state: KvImage; result: string | null } {
  switch (command.kind) {
    case "noop":
    case "config":
      return { state, result: null };
    case "client": {
      const { client, seq, op } = command;
      const session = state.sessions[client];
      if (seq !== undefined && session && seq <= session.seq) return { state, result: session.result };
      let value: string;
      switch (op.type) {
        case "put":
          value = op.value;
          break;
        case "append":
          value = (state.data[op.key] ?? "") + op.value;
          break;
      }
      return {
        state: { data: { ...state.data, [op.key]: value }, sessions: seq === undefined ? state.sessions : { ...state.sessions, [client]: { seq, result: value } } },
        result: value,
      };
    }
  }
}
