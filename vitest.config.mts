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
        // Version support is judged on a day (core/common/day.ts): tests judge on a fixed one, 2026-12-07, so that they
        // pass on any day; tests that need another pass --today or set it themselves.
        env: { SOURCE_DATE_EPOCH: "1796601600" },
        // One plan cache and one build of the command lines for the whole run (test/helpers/globalSetup.ts).
        globalSetup: ["test/helpers/globalSetup.ts"],
        testTimeout: 60_000,
        hookTimeout: 60_000,
    },
});
