/**
 * `npx aks-zero-trust <command> ...`: the project's command-line tools behind one `bin`. Unlike `npm run`, npx prints
 * no "> aks-zero-trust@0.1.0 plan" banner on stdout (npm writes that banner itself before a script starts,
 * @npmcli/run-script), so the output pipes cleanly: `npx aks-zero-trust plan --format json | jq .summary`.
 *
 * Adding a command: write cli/<name>.ts exporting its CommandSpec (options, help, examples; cli/common/commandLine.ts) and a
 * Command that starts with parseCommandLine; add one line to COMMANDS below; add the file to scripts/build.mjs's
 * entry points and an npm script (`"<name>": "node dist/cli/<name>.js"`); README's commands section lists it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Command, runAsProcess } from "./common/command";
import { nearestName } from "../core/common";
import { EXIT_CODES_TEXT, fitToWidth, processContext } from "./common/commandLine";
import { UsageError } from "./common/failure";

interface CommandEntry {
    /** One line for `aks-zero-trust --help` (the command's own --help says the rest). */
    readonly summary: string;
    /** Loads the command only when it is asked for: reach and bench need no Pulumi runtime. */
    readonly load: () => { command: Command; inputErrors?: Array<new (...args: any[]) => Error> };
}

const COMMANDS: Record<string, CommandEntry> = {
    plan: {
        summary: "run the stack's program offline under Pulumi mocks: resources, firewall rules, reachability, checks",
        load: () => {
            const { planCommand, PLAN_INPUT_ERRORS } = require("./plan") as typeof import("./plan");
            return { command: planCommand, inputErrors: PLAN_INPUT_ERRORS };
        },
    },
    diff: {
        summary: "the security diff of the stack's config between a git revision and the working tree (pull requests)",
        load: () => {
            const { diffCommand, DIFF_INPUT_ERRORS } = require("./diff") as typeof import("./diff");
            return { command: diffCommand, inputErrors: DIFF_INPUT_ERRORS };
        },
    },
    suggest: {
        summary: "from audit-mode denied-flow logs to proposed intent changes, each checked against the guardrails",
        load: () => {
            const { suggestCommand, SUGGEST_INPUT_ERRORS } = require("./suggest") as typeof import("./suggest");
            return { command: suggestCommand, inputErrors: SUGGEST_INPUT_ERRORS };
        },
    },
    review: {
        summary: "ADR 008's quarterly review: propose removing intent entries the firewall logs and a cluster dump show unused",
        load: () => {
            const { reviewCommand, REVIEW_INPUT_ERRORS } = require("./review") as typeof import("./review");
            return { command: reviewCommand, inputErrors: REVIEW_INPUT_ERRORS };
        },
    },
    drift: {
        summary: "the daily drift check: which values Azure no longer holds as the program declares them (a refreshed preview)",
        load: () => {
            const { driftCommand, DRIFT_INPUT_ERRORS } = require("./drift") as typeof import("./drift");
            return { command: driftCommand, inputErrors: DRIFT_INPUT_ERRORS };
        },
    },
    reach: {
        summary: "which connections network policies allow, from manifests, a plan's --out folder or a cluster dump",
        load: () => {
            const { run } = require("./reach") as typeof import("./reach");
            const { InputError } = require("../reach") as typeof import("../reach");
            return { command: (argv, output, context) => run(argv, output, context), inputErrors: [InputError] };
        },
    },
    bench: {
        summary: "time the reachability engine on generated clusters of 1 to 1,000 namespaces (about 15 s)",
        load: () => {
            const { benchCommand } = require("./bench") as typeof import("./bench");
            return { command: (argv, output, context) => benchCommand(argv, output, context) };
        },
    },
};

/** `aks-zero-trust --help`: the commands, the global options, the exit codes. */
export function mainHelp(): string {
    const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
    return `${fitToWidth(
        [
            "usage: npx aks-zero-trust <command> [options]",
            "       npx aks-zero-trust <command> --help      what a command does, every option with an example",
            "",
            "The zero-trust network boundary of an AKS platform, offline: plan the Pulumi stack, diff it, prove its intent.",
            "",
            "commands:",
            ...Object.entries(COMMANDS).map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`),
            "",
            "options:",
            "  -h, --help     show this help",
            "  --version      print the version",
            "",
            "Each command is also an npm script with the same options after \"--\": npm run plan -- --stack prod.",
            EXIT_CODES_TEXT,
        ].join("\n"),
    )}\n`;
}

/** The package's version, from its package.json. */
function version(): string {
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        const file = path.join(dir, "package.json");
        if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
        if (path.dirname(dir) === dir) return "unknown";
    }
}

/** Runs the bin on its arguments: a command, or --help / --version. */
export function runMain(argv: readonly string[]): void {
    const [name, ...rest] = argv;
    const entry = name !== undefined ? COMMANDS[name] : undefined;
    if (entry) {
        const { command, inputErrors } = entry.load();
        void runAsProcess(command, inputErrors, rest, processContext("bin"));
    } else if (name === "help" && rest[0] !== undefined && COMMANDS[rest[0]]) {
        // `help plan` is `plan --help`, as git and kubectl read it.
        const { command, inputErrors } = COMMANDS[rest[0]]!.load();
        void runAsProcess(command, inputErrors, ["--help"], processContext("bin"));
    } else if (name === "--help" || name === "-h" || name === "help") {
        void runAsProcess((_, output) => (output.out(mainHelp()), 0));
    } else if (name === "--version" || name === "-v") {
        void runAsProcess((_, output) => (output.out(`aks-zero-trust ${version()}\n`), 0));
    } else {
        void runAsProcess(() => {
            // An option is matched against the bin's own options, a word against the commands.
            const nearest = name === undefined ? undefined : name.startsWith("-") ? nearestName(name, ["--help", "--version"]) : nearestName(name, Object.keys(COMMANDS));
            const problem = name === undefined ? "no command given" : `unknown ${name.startsWith("-") ? "option" : "command"} "${name}"${nearest ? ` (did you mean "${nearest}"?)` : ""}`;
            throw new UsageError(`${problem}\nusage: npx aks-zero-trust <command> [options]; commands: ${Object.keys(COMMANDS).join(", ")} (npx aks-zero-trust --help)`);
        });
    }
}

runMain(process.argv.slice(2));
