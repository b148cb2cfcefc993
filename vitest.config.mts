import * as fs from "node:fs";
import { availableParallelism } from "node:os";
import * as path from "node:path";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The slowest test files, slowest first (measured: README, Development). They start first, so that with two workers
 * no long file starts last and runs alone. Vitest's own order is by the durations of the previous run, cached in
 * node_modules/.vite, which a fresh clone (CI) does not have: it then starts the largest files first, and a short
 * file that spends seconds in child processes may start among the last. Files not listed follow in vitest's order.
 */
const SLOWEST_FILES = [
    "test/cli/diff.test.ts",
    "test/project/readme.test.ts",
    "test/cli/plan.test.ts",
    "test/cli/suggest.test.ts",
    "test/cli/endToEnd.test.ts",
    "test/cli/commandWidths.test.ts",
    "test/project/build.test.ts",
    "test/cli/review.test.ts",
    "test/cli/planCache.test.ts",
    "test/reach/cli.test.ts",
];

class SlowestFirst extends BaseSequencer {
    override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
        const sorted = await super.sort(files);
        const rank = (file: TestSpecification) => {
            const index = SLOWEST_FILES.findIndex((name) => file.moduleId.replace(/\\/g, "/").endsWith(`/${name}`));
            return index < 0 ? SLOWEST_FILES.length : index;
        };
        // Array.prototype.sort is stable: the rest keep vitest's order.
        return [...sorted].sort((a, b) => rank(a) - rank(b));
    }
}

/**
 * What a test file does that needs a process of its own: the mock runtime's judgement day and API probe are
 * global, and so are vi's mocks and the environment; a program run other than through runStack
 * (test/helpers/stack.ts) or runInProcess (test/helpers/cli.ts), which start from a fresh module registry each time,
 * could leave Pulumi's state behind. The other files share their workers: a fresh process per file costs about
 * 0.7 s of CPU, more than most files take to run.
 */
const NEEDS_ITS_OWN_PROCESS = /\b(runProgramOffline|useJudgementDay|useApiAccessProbe|globalThis)\b|\bvi\.|process\.env(\.\w+|\[[^\]]+\])?\s*(=(?!=)|\?\?=)|delete process\.env/;

function testFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const file = path.join(dir, entry.name);
        return entry.isDirectory() ? testFiles(file) : entry.name.endsWith(".test.ts") ? [file] : [];
    });
}

// Vitest resolves the include patterns against its root, the folder it runs in.
const root = process.cwd();
const sharedFiles = testFiles(path.join(root, "test")).map((file) => path.relative(root, file).split(path.sep).join("/")).filter((file) => !NEEDS_ITS_OWN_PROCESS.test(fs.readFileSync(path.join(root, file), "utf8")));

export default defineConfig({
    test: {
        // Pulumi's runtime keeps global state: a test file that runs the program gets its own process.
        pool: "forks",
        // Vitest's default is one worker fewer than the CPUs: a single worker on a 2-core machine, which runs the
        // files one after another while the CLI tests mostly wait on child processes.
        maxWorkers: Math.max(2, availableParallelism()),
        // Version support is judged on a day (core/common/day.ts): tests judge on a fixed one, 2026-12-07, so that they
        // pass on any day; tests that need another pass --today or set it themselves.
        env: { SOURCE_DATE_EPOCH: "1796601600" },
        // One plan cache and one build of the command lines for the whole run (test/helpers/globalSetup.ts).
        globalSetup: ["test/helpers/globalSetup.ts"],
        sequence: { sequencer: SlowestFirst },
        testTimeout: 60_000,
        hookTimeout: 60_000,
        projects: [
            { extends: true, test: { name: "isolated", include: ["test/**/*.test.ts"], exclude: sharedFiles, isolate: true } },
            { extends: true, test: { name: "shared", include: sharedFiles, isolate: false } },
        ],
    },
});
