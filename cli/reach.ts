/**
 * `npm run reach -- [options] PATH...` and `npm run reach -- diff [options] OLD NEW`: the reachability engine's
 * command line. Parses arguments (cli/common/commandLine.ts), calls the library (reach/) and prints; every decision lives
 * in the library.
 */
import * as fs from "node:fs";
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
} from "../reach";
import { CommandContext, commandLineMistake, CommandSpec, EXIT_CODES, fitToWidth, parseCommandLine, processContext } from "./common/commandLine";
import { reportFailure } from "./common/failure";

/** reach's command line: its options, help and examples. */
export const REACH: CommandSpec = {
    name: "reach",
    summary: "which connections Kubernetes and Calico network policies allow, from manifests or a cluster dump",
    description:
        "Reads YAML/JSON files or folders (recursively; multi-document files, typed lists and kubectl dumps allowed) with " +
        "namespaces, workloads and Kubernetes or Calico network policies, and prints one line per allowed connection, " +
        "a summary on stderr. `reach diff OLD NEW` prints the connections added (+) and removed (-).",
    operands: "PATH...",
    moreUsage: ["diff [--format text|json|md] [--self] [--names FILE] OLD NEW"],
    options: [
        { name: "format", value: "FORMAT", choices: ["text", "json", "md"], default: "text", description: "text: one connection per line; json; md: a Markdown table", example: "--format md" },
        { name: "explain", value: "SRC DST", description: "explain, per direction, which policies and rules decide SRC -> DST (namespace/name, namespace/name[Kind] or an IPv4 address)", example: "--explain shop/frontend shop/database" },
        { name: "expect", value: "FILE", description: "check the expectations in FILE (\"- shop/frontend -> shop/database: deny\"); exit 1 if one is violated", example: "--expect examples/expectations.yaml" },
        { name: "policies", description: "print the compiled policies, in evaluation order", example: "--policies" },
        { name: "self", description: "also list each workload's connections to itself (left out by default)", example: "--self" },
        {
            name: "staged-as-enforced",
            description: "apply Calico staged policies as their stagedAction says (Set replaces or adds the policy of the same name, Delete removes it): what enforcing them would give; by default staged policies decide nothing, as in the cluster (Felix only logs them)",
            example: "--staged-as-enforced",
        },
        {
            name: "names",
            value: "FILE",
            description: "print address sets by name (internet, VNet, ...) where traffic covers them alike: a YAML list of {name, cidrs, except}; an AddressNames document in the input does the same (plan --out DIR writes DIR/address-names.yaml)",
            example: "--names /tmp/p/address-names.yaml",
        },
    ],
    examples: [
        "/tmp/p                                          # one line per allowed connection",
        "/tmp/p --explain shop/frontend shop/database    # which policies and rules decide, and why",
        "/tmp/p --expect examples/expectations.yaml      # PASS/FAIL per expectation",
        "diff OLD NEW                                    # connections added (+) and removed (-)",
    ],
};

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

/** Runs the command; returns the exit code (see EXIT_CODES). */
export function run(argv: readonly string[], output: Output, context: CommandContext = processContext()): number {
    const parsed = parseCommandLine(REACH, argv, context, output.out);
    if (!parsed) return 0;
    const values = parsed.values as { format?: string; explain?: string; expect?: string; policies?: boolean; self?: boolean; names?: string; "staged-as-enforced"?: boolean };
    const stagedAsEnforced = values["staged-as-enforced"] === true;
    const tokens = parsed.tokens;
    const format = values.format as OutputFormat;
    const mistake = (message: string) => commandLineMistake(REACH, context, message);
    // Text keeps to 120 columns (long explanations wrap); JSON and Markdown are read by programs.
    const print = (text: string) => output.out(format === "text" ? fitToWidth(text) : text);
    let positionals = tokens.filter((token) => token.kind === "positional");

    // --explain takes two values: SRC as the option's value, DST as the next argument.
    let explainDestination: string | undefined;
    const explainToken = tokens.find((token) => token.kind === "option" && token.name === "explain");
    if (explainToken && explainToken.kind === "option") {
        const destinationIndex = explainToken.index + (explainToken.inlineValue ? 1 : 2);
        const destination = positionals.find((token) => token.index === destinationIndex);
        if (!destination || destination.kind !== "positional") throw mistake("--explain needs two arguments: SRC DST");
        explainDestination = destination.value;
        positionals = positionals.filter((token) => token !== destination);
    }
    const paths = positionals.map((token) => (token.kind === "positional" ? token.value : ""));
    const names = values.names === undefined ? undefined : readNames(values.names);

    if (paths[0] === "diff") {
        if (values.explain !== undefined || values.expect !== undefined || values.policies) {
            throw mistake("diff takes only --format, --self, --names and --staged-as-enforced");
        }
        if (paths.length !== 3) throw mistake("diff needs exactly two paths: OLD NEW");
        const before = load([paths[1]!], output, stagedAsEnforced);
        const after = load([paths[2]!], output, stagedAsEnforced);
        const changes = diffConnections(before.analysis.connections, after.analysis.connections);
        const presentation = { self: values.self === true, names: names ?? after.names ?? before.names };
        const diff = { added: presentConnections(changes.added, presentation), removed: presentConnections(changes.removed, presentation) };
        print(formatDiff(diff, format));
        output.err(`${diff.added.length} added, ${diff.removed.length} removed\n`);
        return 0;
    }

    if (paths.length === 0) throw mistake("no PATH given");
    const modes = [values.explain !== undefined, values.expect !== undefined, values.policies === true].filter(Boolean).length;
    if (modes > 1) throw mistake("use only one of --explain, --expect and --policies");
    const { analysis, names: found } = load(paths, output, stagedAsEnforced);

    if (values.explain !== undefined) {
        output.out(fitToWidth(formatExplanation(explain(analysis, values.explain, explainDestination!))));
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
        output.out(fitToWidth(formatExpectationResults(results)));
        return results.every((result) => result.passed) ? EXIT_CODES.ok : EXIT_CODES.failed;
    }
    if (values.policies) {
        output.out(fitToWidth(analysis.policies.map((policy) => `${formatPolicy(policy)}\n`).join("")));
        return 0;
    }
    const connections = presentConnections(analysis.connections, { self: values.self === true, names: names ?? found });
    print(formatConnections(connections, format));
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

/**
 * Runs the command with process streams, mapping errors to exit codes (never a stack trace for user input).
 * Synchronous and without Pulumi: reach's start-up is part of its benchmark.
 */
export function main(argv: readonly string[], context: CommandContext = processContext()): number {
    const output: Output = { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) };
    try {
        return run(argv, output, context);
    } catch (error) {
        return reportFailure(error, [InputError], output);
    }
}

// Run only when executed directly (npm run reach), not when imported by tests or the bin.
if (typeof require !== "undefined" && typeof module !== "undefined" && require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
