// Public API of @course/raft.

export {};
