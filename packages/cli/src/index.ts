// Public API of @course/cli.

export {};
