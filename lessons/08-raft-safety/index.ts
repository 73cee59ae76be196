// Lesson 8: Raft safety: the election restriction, Figure 8's commit rule and its two futures, and what persistence protects.

import type { Lesson } from "../lesson.js";
import { figure8, figure8e } from "./figure-8.js";
import { persistence } from "./persistence.js";
import { staleCandidate } from "./stale-candidate.js";

export const lesson08: Lesson = {
  number: 8,
  slug: "raft-safety",
  title: "Raft safety",
  summary: "Three rules keep committed entries from ever changing: voters refuse candidates with less complete logs, a leader only commits entries of its own term by counting, and servers write their term, vote and log to disk before answering. Three scenarios have a variant that breaks one rule so the checker can show what goes wrong.",
  scenarios: [staleCandidate, figure8, figure8e, persistence],
};
