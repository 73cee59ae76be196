// Public API of @course/paxos.

export {};
