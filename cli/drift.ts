/**
 * `npm run drift -- --preview FILE`  (FILE: the output of `pulumi preview --refresh --json`, or - for stdin)
 * The daily drift check's verdict (offline/report/driftCheck.ts): exits 1 and lists each value the program declares
 * that Azure no longer matches, or any resource to create, replace or delete; prints what is owned elsewhere (pools
 * of AgentPool resources) or added by Azure (tags, profiles) as notes, after the preview's own warnings and errors
 * (which `--json` puts in the JSON only). Exits 0 when nothing drifted; 1 on drift or when the preview failed.
 */
import * as fs from "node:fs";
import { DriftInputError, judgeDrift, readPreview } from "../offline/report";
import { CommandOutput, runAsProcess } from "./common/command";
import { CommandContext, CommandSpec, fitToWidth, parseCommandLine, processContext } from "./common/commandLine";

/** drift's command line: its options, help and examples. */
export const DRIFT: CommandSpec = {
    name: "drift",
    summary: "the daily drift check: which values Azure no longer holds as the program declares them (a refreshed preview)",
    description:
        "Reads the JSON of `pulumi preview --refresh --json` and lists each value the program declares that Azure no longer " +
        "matches, and any resource the preview would create, replace or delete; exits 1 when there is one. What is owned " +
        "elsewhere (pools as their own AgentPool resources) or added by Azure (tags, profiles) is printed as a note.",
    options: [
        { name: "preview", value: "FILE", required: true, description: "the output of pulumi preview --refresh --json; - reads stdin", example: "--preview preview.json" },
    ],
    examples: [
        "--preview preview.json                   # the verdict on a saved preview",
        "--preview -                              # read the preview from stdin (pulumi preview --refresh --json | ...)",
    ],
};

/** Judges a refreshed preview; returns the exit code (see EXIT_CODES). */
export function driftCommand(argv: string[], output: CommandOutput, context: CommandContext = processContext()): number {
    const parsed = parseCommandLine(DRIFT, argv, context, output.out);
    if (!parsed) return 0;
    const file = parsed.values.preview as string;
    let text: string;
    try {
        text = fs.readFileSync(file === "-" ? 0 : file, "utf8");
    } catch (error) {
        throw new DriftInputError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const preview = readPreview(text, file === "-" ? "stdin" : file);
    // The preview's own warnings and errors (the program's refusals, say of a Kubernetes version past its end of life):
    // with --json they land in the JSON only, so they are printed here.
    const diagnostics = [...preview.warnings.map((line) => `preview warning: ${line}`), ...preview.errors.map((line) => `preview error: ${line}`)];
    if (preview.errors.length > 0) {
        output.out(fitToWidth(diagnostics.join("\n") + "\n"));
        output.err(`error: the preview failed (${preview.errors.length} error(s) above), so drift was not judged\n`);
        return 1;
    }
    const report = judgeDrift(preview.steps);
    const lines = [...diagnostics, ...report.notes.map((note) => `note: ${note}`)];
    if (report.drift.length === 0) {
        output.out(fitToWidth([...lines, "no drift: every value the program declares matches Azure"].join("\n") + "\n"));
        return 0;
    }
    output.out(fitToWidth([...lines, ...report.drift.map((line) => `drift: ${line}`)].join("\n") + "\n"));
    output.err(`error: ${report.drift.length} value(s) drifted from the code; run pulumi up to restore the code's state, or change the code to adopt Azure's\n`);
    return 1;
}

/** The errors of this command that are the user's input, printed without a stack trace. */
export const DRIFT_INPUT_ERRORS = [DriftInputError];

// Run only when executed directly, not when a test imports the command.
if (typeof require !== "undefined" && typeof module !== "undefined" && require.main === module) {
    void runAsProcess(driftCommand, DRIFT_INPUT_ERRORS);
}
