import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        include: ["test/**/*.test.ts"],
        // Pulumi's runtime keeps global state: every test file gets its own process.
        pool: "forks",
        isolate: true,
        // Vitest's default is one worker fewer than the CPUs: a single worker on a 2-core machine, which runs the
        // files one after another while the CLI tests mostly wait on child processes.
        maxWorkers: Math.max(2, availableParallelism()),
        testTimeout: 60_000,
        hookTimeout: 60_000,
    },
});
