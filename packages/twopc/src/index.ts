// Public API of @course/twopc.

export {};
