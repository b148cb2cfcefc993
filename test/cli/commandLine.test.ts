/**
 * The one command-line layer (cli/common/commandLine.ts), in-process: what a user typing a command sees for a slip, a
 * missing "--" under npm, and --help.
 */
import { describe, expect, it } from "vitest";
import { commandPrefix, type CommandContext, type CommandSpec, helpText, parseCommandLine } from "../../cli/common/commandLine";
import { EXIT_CODES, reportFailure, UsageError } from "../../cli/common/failure";
import { ConfigError } from "../../core/common";
import { PLAN } from "../../cli/plan";
import { REACH } from "../../cli/reach";
import { SUGGEST } from "../../cli/suggest";
import { DIFF } from "../../cli/diff";
import { BENCH } from "../../cli/bench";
import * as fs from "node:fs";
import * as path from "node:path";
import { SPECS } from "../helpers/commands";
import { PROJECT_DIR } from "../helpers/stack";

const NPM: CommandContext = { via: "npm", env: {} };
const BIN: CommandContext = { via: "bin", env: {} };

/** The UsageError's message for a command line, or the parsed values. */
function parse(spec: CommandSpec, argv: string[], context: CommandContext = NPM): string | Record<string, unknown> {
    try {
        const parsed = parseCommandLine(spec, argv, context, () => undefined);
        return parsed ? parsed.values : "help";
    } catch (error) {
        if (error instanceof UsageError) return error.message;
        throw error;
    }
}

describe("the command line of every command", () => {
    it("suggests the nearest option for a misspelt one: plan --stak prod", () => {
        expect(parse(PLAN, ["--stak", "prod"])).toMatch(/^unknown option --stak \(did you mean --stack\?\)\nusage: npm run plan -- /);
        expect(parse(PLAN, ["--fromat", "json"])).toMatch(/^unknown option --fromat \(did you mean --format\?\)/);
        expect(parse(REACH, ["--polices", "x"])).toMatch(/^unknown option --polices \(did you mean --policies\?\)/);
        expect(parse(PLAN, ["--colour"])).toMatch(/^unknown option --colour\n/);
    });

    it("suggests the nearest value of an option with choices, and applies defaults", () => {
        expect(parse(PLAN, ["--format", "jsno"])).toMatch(/^--format must be text, json or mermaid, got "jsno" \(did you mean json\?\)/);
        expect(parse(PLAN, [])).toMatchObject({ stack: "dev", format: "text" });
    });

    it("asks for a missing value and a required option by example", () => {
        expect(parse(PLAN, ["--stack"])).toMatch(/^--stack needs a value, e\.g\. --stack prod\n/);
        expect(parse(DIFF, [])).toMatch(/^--base is required, e\.g\. --base origin\/main\n/);
    });

    it("names the missing -- when npm kept the options for itself (npm run plan --stack prod)", () => {
        // npm 11 keeps an option it does not know as npm_config_<name> and passes only its value on.
        const underNpm: CommandContext = { via: "npm", env: { npm_lifecycle_event: "plan", npm_config_stack: "true" } };
        expect(parse(PLAN, ["prod"], underNpm)).toMatch(/^npm took --stack as its own setting \(npm_config_stack\): options for the command go after "--": npm run plan -- --stack prod\n/);
        const equals: CommandContext = { via: "npm", env: { npm_lifecycle_event: "plan", npm_config_stack: "prod", npm_config_verbose: "true" } };
        expect(parse(PLAN, [], equals)).toMatch(/^npm took --stack --verbose as its own setting \(npm_config_stack\): options for the command go after "--": npm run plan -- --stack prod --verbose\n/);
        // npm expands --format to its own --format-package-lock: only the value arrives.
        expect(parse(PLAN, ["json"], NPM)).toMatch(/^unexpected argument "json": plan takes options only \(under npm run, options go after "--": npm run plan -- --option value\)/);
        // Another script's settings (the plan a diff starts) are not this command's.
        expect(parse(PLAN, [], { via: "npm", env: { npm_lifecycle_event: "diff", npm_config_stack: "true" } })).toMatchObject({ stack: "dev" });
    });

    it("shows the form the user typed: npm run X -- or npx aks-zero-trust X", () => {
        expect(commandPrefix(SUGGEST, NPM)).toBe("npm run suggest --");
        expect(commandPrefix(SUGGEST, BIN)).toBe("npx aks-zero-trust suggest");
        expect(parse(SUGGEST, ["--cluster", "c"], BIN)).toMatch(/\nusage: npx aks-zero-trust suggest --logs FILE \[--cluster DUMP\] /);
        expect(helpText(SUGGEST, BIN)).toMatch(/^usage: npx aks-zero-trust suggest /);
        expect(helpText(SUGGEST, BIN)).toContain("\n  npx aks-zero-trust suggest --logs examples/kern.log");
    });

    it("knows every command: each npm script that runs a command line has its spec in the list the help tests read", () => {
        const scripts = (JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
        const commandScripts = Object.entries(scripts).filter(([, run]) => /\bcli\/\w+\.(js|ts)$/.test(run)).map(([name]) => name);
        expect(commandScripts).toContain("drift");
        expect(SPECS.map((spec) => spec.npmScript ?? spec.name).sort()).toEqual(commandScripts.sort());
    });

    it("--help describes every option with an example, and the exit codes", () => {
        for (const spec of SPECS) {
            const help = helpText(spec, NPM);
            expect(parse(spec, ["--help"])).toBe("help");
            for (const option of spec.options.filter((option) => !option.hidden)) {
                expect(help, `${spec.name} --${option.name}`).toContain(`--${option.name}`);
                expect(option.example, `${spec.name} --${option.name}`).toMatch(new RegExp(`^--${option.name}`));
                expect(help.replace(/\s+/g, " "), `${spec.name} --${option.name}`).toContain(`e.g. ${option.example}`);
            }
            expect(help).toContain("exit codes: 0 done, 1 invalid input or a failed check, 2 command-line mistake, 3 internal error");
        }
        // bench's internal --child stays out of its help.
        expect(helpText(BENCH, NPM)).not.toContain("--child");
    });
});

describe("exit codes", () => {
    it("are one table: README's, the one every --help ends with, and the one failures map to", () => {
        const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
        const table = [...readme.matchAll(/^\| (\d) \| (.+) \|$/gm)].map((row) => Number(row[1]));
        expect(table).toEqual(Object.values(EXIT_CODES));
        const quiet = { err: () => undefined };
        expect(reportFailure(new UsageError("--stak"), [], quiet)).toBe(EXIT_CODES.usage);
        expect(reportFailure(new ConfigError([{ path: "cluster.skuTier", message: "bad" }]), [], quiet)).toBe(EXIT_CODES.failed);
        class InputError extends Error {}
        expect(reportFailure(new InputError("no such file"), [InputError], quiet)).toBe(EXIT_CODES.failed);
        expect(reportFailure(new TypeError("a bug"), [], quiet)).toBe(EXIT_CODES.internal);
    });
});
