/**
 * Command line: `npm run reach -- [options] PATH...` and `npm run reach -- diff [options] OLD NEW`.
 * Parses arguments, calls the library and prints; every decision lives in the library.
 */
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import {
    type AddressNames,
    type Analysis,
    InputError,
    type OutputFormat,
    analyze,
    checkExpectations,
    diffConnections,
    explain,
    formatConnections,
    formatDiff,
    formatExpectationResults,
    formatExplanation,
    enforceStagedPolicies,
    formatPolicy,
    formatWarning,
    loadManifestPaths,
    parseAddressNames,
    takeAddressNames,
    parseExpectations,
    presentConnections,
    summaryLine,
} from "./index";

const USAGE = `usage: npm run reach -- [options] PATH...
       npm run reach -- diff [--format text|json|md] [--self] [--names FILE] OLD NEW

PATH, OLD and NEW are YAML/JSON files or folders (read recursively; multi-document files allowed).

options:
  --format text|json|md   output format (default: text, one connection per line)
  --explain SRC DST       explain, per direction, which policies and rules decide SRC -> DST
                          (SRC/DST: namespace/name, namespace/name[Kind] or an IPv4 address)
  --expect FILE           check the expectations in FILE; exit 3 if one is violated
  --policies              print the compiled policies, in evaluation order
  --self                  also list each workload's connections to itself (left out by default)
  --staged-as-enforced    apply Calico staged policies as their stagedAction says (Set replaces or adds the
                          policy of the same name, Delete removes it): what enforcing them would give. By
                          default staged policies decide nothing, as in the cluster (Felix only logs them)
  --names FILE            print address sets by name (internet, VNet, ...) where traffic covers them
                          alike: a YAML list of {name, cidrs, except}. An AddressNames document in the
                          input does the same (\`npm run plan -- --out DIR\` writes DIR/address-names.yaml)
  -h, --help              show this help

exit codes: 0 ok, 1 input error, 2 usage error, 3 expectation violated`;

/** A mistake in the command line itself (exit code 2). */
class UsageError extends Error {}

interface Output {
    out: (text: string) => void;
    err: (text: string) => void;
}

/** The analysis of the input, and the address names it carries (an `AddressNames` document, as the plan writes). */
function load(paths: readonly string[], output: Output, stagedAsEnforced = false): { analysis: Analysis; names?: AddressNames } {
    const loaded = loadManifestPaths(paths);
    const { names, objects } = takeAddressNames(loaded.objects);
    const analysis = analyze(stagedAsEnforced ? enforceStagedPolicies(objects) : objects);
    for (const warning of [...loaded.warnings, ...analysis.warnings]) output.err(`${formatWarning(warning)}\n`);
    if (!stagedAsEnforced && analysis.stagedPolicies.length > 0) {
        output.err(`note: ${analysis.stagedPolicies.length} Calico staged polic${analysis.stagedPolicies.length === 1 ? "y decides" : "ies decide"} nothing here, as in the cluster; --staged-as-enforced shows what enforcing them would give\n`);
    }
    return { analysis, names };
}

function formatOption(value: string | undefined): OutputFormat {
    if (value === undefined) return "text";
    if (value === "text" || value === "json" || value === "md") return value;
    throw new UsageError(`--format must be text, json or md, not ${JSON.stringify(value)}`);
}

/** Runs the command; returns the exit code. */
export function run(argv: readonly string[], output: Output): number {
    let parsed: ReturnType<typeof parseArgs<{
        options: {
            format: { type: "string" };
            explain: { type: "string" };
            expect: { type: "string" };
            policies: { type: "boolean" };
            self: { type: "boolean" };
            names: { type: "string" };
            "staged-as-enforced": { type: "boolean" };
            help: { type: "boolean"; short: "h" };
        };
        allowPositionals: true;
        tokens: true;
        strict: true;
    }>>;
    try {
        parsed = parseArgs({
            args: [...argv],
            options: {
                format: { type: "string" },
                explain: { type: "string" },
                expect: { type: "string" },
                policies: { type: "boolean" },
                self: { type: "boolean" },
                names: { type: "string" },
                "staged-as-enforced": { type: "boolean" },
                help: { type: "boolean", short: "h" },
            },
            allowPositionals: true,
            tokens: true,
            strict: true,
        });
    } catch (error) {
        const message = (error as Error).message.split(". ")[0]!.replace(/^Unknown option '([^']+)'/, "unknown option $1");
        throw new UsageError(message.charAt(0).toLowerCase() + message.slice(1));
    }
    const { values, tokens } = parsed;
    if (values.help) {
        output.out(`${USAGE}\n`);
        return 0;
    }
    const format = formatOption(values.format);
    let positionals = tokens.filter((token) => token.kind === "positional");

    // --explain takes two values: SRC as the option's value, DST as the next argument.
    let explainDestination: string | undefined;
    const explainToken = tokens.find((token) => token.kind === "option" && token.name === "explain");
    if (explainToken && explainToken.kind === "option") {
        const destinationIndex = explainToken.index + (explainToken.inlineValue ? 1 : 2);
        const destination = positionals.find((token) => token.index === destinationIndex);
        if (!destination || destination.kind !== "positional") throw new UsageError("--explain needs two arguments: SRC DST");
        explainDestination = destination.value;
        positionals = positionals.filter((token) => token !== destination);
    }
    const paths = positionals.map((token) => (token.kind === "positional" ? token.value : ""));
    const names = values.names === undefined ? undefined : readNames(values.names);

    if (paths[0] === "diff") {
        if (values.explain !== undefined || values.expect !== undefined || values.policies) {
            throw new UsageError("diff takes only --format, --self, --names and --staged-as-enforced");
        }
        if (paths.length !== 3) throw new UsageError("diff needs exactly two paths: OLD NEW");
        const before = load([paths[1]!], output, values["staged-as-enforced"] === true);
        const after = load([paths[2]!], output, values["staged-as-enforced"] === true);
        const changes = diffConnections(before.analysis.connections, after.analysis.connections);
        const presentation = { self: values.self === true, names: names ?? after.names ?? before.names };
        const diff = { added: presentConnections(changes.added, presentation), removed: presentConnections(changes.removed, presentation) };
        output.out(formatDiff(diff, format));
        output.err(`${diff.added.length} added, ${diff.removed.length} removed\n`);
        return 0;
    }

    if (paths.length === 0) throw new UsageError("no PATH given");
    const modes = [values.explain !== undefined, values.expect !== undefined, values.policies === true].filter(Boolean).length;
    if (modes > 1) throw new UsageError("use only one of --explain, --expect and --policies");
    const { analysis, names: found } = load(paths, output, values["staged-as-enforced"] === true);

    if (values.explain !== undefined) {
        output.out(formatExplanation(explain(analysis, values.explain, explainDestination!)));
        return 0;
    }
    if (values.expect !== undefined) {
        let text: string;
        try {
            text = fs.readFileSync(values.expect, "utf8");
        } catch {
            throw new InputError("cannot read expectations file", values.expect);
        }
        const results = checkExpectations(analysis, parseExpectations(text, values.expect));
        output.out(formatExpectationResults(results));
        return results.every((result) => result.passed) ? 0 : 3;
    }
    if (values.policies) {
        output.out(analysis.policies.map((policy) => `${formatPolicy(policy)}\n`).join(""));
        return 0;
    }
    const connections = presentConnections(analysis.connections, { self: values.self === true, names: names ?? found });
    output.out(formatConnections(connections, format));
    output.err(`${summaryLine(connections, analysis.workloads.length)}\n`);
    return 0;
}

function readNames(file: string): AddressNames {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        throw new InputError("cannot read names file", file);
    }
    return parseAddressNames(text, file);
}

/** Runs the command with process streams, mapping errors to exit codes (never a stack trace for user input). */
export function main(argv: readonly string[]): number {
    const output: Output = { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) };
    try {
        return run(argv, output);
    } catch (error) {
        if (error instanceof UsageError) {
            output.err(`error: ${error.message}\n${USAGE}\n`);
            return 2;
        }
        if (error instanceof InputError) {
            output.err(`error: ${error.message}\n`);
            return 1;
        }
        throw error;
    }
}

// Run only when executed directly (tsx reach/cli.ts), not when imported by tests.
if (typeof require !== "undefined" && typeof module !== "undefined" && require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
