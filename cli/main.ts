/**
 * `npx aks-zero-trust plan|diff|suggest|review|reach ...`: the project's command-line tools behind one `bin`. Unlike `npm run`,
 * npx prints no "> aks-zero-trust@0.1.0 plan" banner on stdout (npm writes that banner itself before a script
 * starts, @npmcli/run-script), so the output pipes cleanly: `npx aks-zero-trust plan --format json | jq .summary`.
 */
import { Command, runAsProcess } from "./command";
import { UsageError } from "./failure";

const USAGE = "usage: npx aks-zero-trust plan|diff|suggest|review|reach [options]   (the options of npm run plan, diff, suggest, review, reach)";

/** Loads a command only when it is asked for: reach needs no Pulumi runtime. */
const COMMANDS: Record<string, () => { command: Command; inputErrors?: Array<new (...args: any[]) => Error> }> = {
    plan: () => {
        const { planCommand, PLAN_INPUT_ERRORS } = require("./plan") as typeof import("./plan");
        return { command: planCommand, inputErrors: PLAN_INPUT_ERRORS };
    },
    diff: () => {
        const { diffCommand, DIFF_INPUT_ERRORS } = require("./diff") as typeof import("./diff");
        return { command: diffCommand, inputErrors: DIFF_INPUT_ERRORS };
    },
    suggest: () => {
        const { suggestCommand, SUGGEST_INPUT_ERRORS } = require("./suggest") as typeof import("./suggest");
        return { command: suggestCommand, inputErrors: SUGGEST_INPUT_ERRORS };
    },
    review: () => {
        const { reviewCommand, REVIEW_INPUT_ERRORS } = require("./review") as typeof import("./review");
        return { command: reviewCommand, inputErrors: REVIEW_INPUT_ERRORS };
    },
    reach: () => {
        const { main } = require("../reach/cli") as typeof import("../reach/cli");
        return { command: (argv) => main(argv) };
    },
};

const [name, ...rest] = process.argv.slice(2);
const entry = name !== undefined ? COMMANDS[name] : undefined;
if (entry) {
    const { command, inputErrors } = entry();
    void runAsProcess(command, inputErrors, rest);
} else {
    void runAsProcess(() => {
        throw new UsageError(`${name === undefined ? "no command given" : `unknown command "${name}"`}\n${USAGE}`);
    });
}
