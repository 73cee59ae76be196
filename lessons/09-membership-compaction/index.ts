// Lesson 9: membership changes (single-server) and log compaction with snapshots and InstallSnapshot.

import type { Lesson } from "../lesson.js";
import { installSnapshot } from "./install-snapshot.js";
import { membership } from "./membership.js";
import { snapshot } from "./snapshot.js";
import { newServerVote, removedServer } from "./vote-requests.js";

export const lesson09: Lesson = {
  number: 9,
  slug: "membership-compaction",
  title: "Membership changes and log compaction",
  summary: "Servers join and leave one at a time, each change a log entry, a new server first catching up as a learner; vote requests from outside a server's configuration are answered unless a leader was heard lately; logs are compacted into snapshots, and a follower that fell too far behind receives the snapshot itself.",
  scenarios: [membership, newServerVote, removedServer, snapshot, installSnapshot],
};
