/**
 * `npm run bench [-- --runs R] [--sizes N,N]`: the reachability engine's benchmark (reach/bench.ts), as a command.
 * Not part of `npm test`: timings belong here, never in tests.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { BENCHMARK_SIZES, measure, runBenchmark } from "../reach/bench";
import { CommandContext, commandLineMistake, CommandSpec, fitToWidth, parseCommandLine, processContext } from "./common/commandLine";
import { reportFailure } from "./common/failure";

/** The benchmark's command line: its options, help and examples. */
export const BENCH: CommandSpec = {
    name: "bench",
    summary: "time the reachability engine on generated clusters of 1 to 1,000 namespaces",
    description:
        "Builds clusters of N namespaces of the ADR's three-tier app under default-deny microsegmentation, writes each as a " +
        "folder of YAML files, and times `reach FOLDER` as a user runs it (whole process, median of R runs, peak RSS) and " +
        "analyze() alone in a cold process. Takes about 15 s with the default sizes; nothing is written outside a scratch folder.",
    options: [
        { name: "runs", value: "R", default: "3", description: "runs of the whole process per size; the median is reported", example: "--runs 5" },
        { name: "sizes", value: "N,N", default: BENCHMARK_SIZES.join(","), description: "cluster sizes in namespaces, after N=1 (the start-up)", example: "--sizes 10,100" },
        { name: "child", value: "N", hidden: true, description: "internal: measure analyze() for N namespaces in this process and print JSON" },
    ],
    examples: ["                 # the default sizes, 3 runs each", "--runs 1 --sizes 10   # a quick look"],
};

/** Runs the benchmark; returns the exit code (see EXIT_CODES). */
export function benchCommand(argv: readonly string[], output: { out(text: string): void }, context: CommandContext = processContext()): number {
    const parsed = parseCommandLine(BENCH, argv, context, output.out);
    if (!parsed) return 0;
    const values = parsed.values as Record<string, string | undefined>;
    if (values.child !== undefined) {
        output.out(`${JSON.stringify(measure(Number(values.child)))}\n`);
        return 0;
    }
    const runs = Number(values.runs);
    if (!Number.isInteger(runs) || runs < 1) throw commandLineMistake(BENCH, context, `--runs must be a whole number of at least 1, got "${values.runs}"`);
    const sizes = values.sizes!.split(",").map((size) => Number(size.trim()));
    if (sizes.some((size) => !Number.isInteger(size) || size < 1 || size > 10_000)) {
        throw commandLineMistake(BENCH, context, `--sizes must be namespace counts from 1 to 10000 separated by commas, got "${values.sizes}"`);
    }
    runBenchmark({ runs, sizes, reachCli: compiledReachCli(), childArgs: (size) => [...process.execArgv, __filename, "--child", String(size)], npm: process.env.npm_execpath || undefined }, (text) => output.out(fitToWidth(text)));
    return 0;
}

/** The compiled reach command line (dist/cli/reach.js): beside this file when it runs compiled, else under dist/. */
function compiledReachCli(): string {
    const cli = path.extname(__filename) === ".js" ? path.join(__dirname, "reach.js") : path.resolve(__dirname, "..", "dist", "cli", "reach.js");
    if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run npm run build (npm ci runs it)`);
    return cli;
}

// Run only when executed directly (npm run bench), not when imported.
if (typeof require !== "undefined" && typeof module !== "undefined" && require.main === module) {
    try {
        process.exitCode = benchCommand(process.argv.slice(2), { out: (text) => process.stdout.write(text) });
    } catch (error) {
        process.exitCode = reportFailure(error);
    }
}
