import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        include: ["test/**/*.test.ts"],
        // Pulumi's runtime keeps global state: every test file gets its own process.
        pool: "forks",
        isolate: true,
        testTimeout: 60_000,
        hookTimeout: 60_000,
    },
});
