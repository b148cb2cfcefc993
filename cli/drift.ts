/**
 * `npm run drift -- --preview FILE`  (FILE: the output of `pulumi preview --refresh --json`, or - for stdin)
 * The daily drift check's verdict (offline/report/driftCheck.ts): exits 1 and lists each value the program declares
 * that Azure no longer matches, or any resource to create, replace or delete; prints what is owned elsewhere (pools
 * of AgentPool resources) or added by Azure (tags, profiles) as notes. Exits 0 when nothing drifted.
 */
import * as fs from "node:fs";
import { DriftInputError, judgeDrift, previewSteps } from "../offline/report";
import { parseFlags, UsageError } from "./failure";
import { CommandOutput, runAsProcess } from "./command";

const USAGE = "usage: npm run drift -- --preview FILE   (the output of pulumi preview --refresh --json; - reads stdin)";

/** Judges a refreshed preview; returns the exit code. */
export function driftCommand(argv: string[], output: CommandOutput): number {
    const values = parseFlags(argv, { preview: { type: "string" } }, USAGE);
    if (!values.preview) throw new UsageError(`--preview is required\n${USAGE}`);
    const file = values.preview;
    let text: string;
    try {
        text = fs.readFileSync(file === "-" ? 0 : file, "utf8");
    } catch (error) {
        throw new DriftInputError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const report = judgeDrift(previewSteps(text, file === "-" ? "stdin" : file));
    for (const note of report.notes) output.out(`note: ${note}\n`);
    if (report.drift.length === 0) {
        output.out("no drift: every value the program declares matches Azure\n");
        return 0;
    }
    for (const line of report.drift) output.out(`drift: ${line}\n`);
    output.err(`error: ${report.drift.length} value(s) drifted from the code; run pulumi up to restore the code's state, or change the code to adopt Azure's\n`);
    return 1;
}

/** The errors of this command that are the user's input, printed without a stack trace. */
export const DRIFT_INPUT_ERRORS = [DriftInputError];

// Run only when executed directly, not when a test imports the command.
if (typeof require !== "undefined" && typeof module !== "undefined" && require.main === module) {
    void runAsProcess(driftCommand, DRIFT_INPUT_ERRORS);
}
