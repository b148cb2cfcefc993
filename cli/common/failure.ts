import type * as Pulumi from "@pulumi/pulumi";
import { ConfigError, isIsoDay } from "../../core/common";

/** Exit codes, the same for every command (documented in README.md, "Command line", and at the end of every --help). */
export const EXIT_CODES = {
    /** Done (help and --version included). */
    ok: 0,
    /** The input is wrong (config, a file) or a check failed (policy pack, intent check, --fail-on, --expect). */
    failed: 1,
    /** The command line is wrong: unknown command or option, missing or bad value. */
    usage: 2,
    /** A bug: the message asks for a report. */
    internal: 3,
} as const;

export const EXIT_CODES_TEXT = "exit codes: 0 done, 1 invalid input or a failed check, 2 command-line mistake, 3 internal error (please report)";

/** The command line was wrong; exit code 2. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

/**
 * Prints an error for a person and returns the exit code. User mistakes (bad config, bad files, bad
 * arguments) print their message only; anything else is a bug and keeps its stack trace.
 */
export function reportFailure(
    error: unknown,
    userErrorTypes: ReadonlyArray<new (...args: any[]) => Error> = [],
    output: { err(text: string): void } = { err: (text) => void process.stderr.write(text) },
): number {
    if (error instanceof UsageError) {
        output.err(`error: ${error.message}\n`);
        return EXIT_CODES.usage;
    }
    const isUserError = error instanceof ConfigError || userErrorTypes.some((type) => error instanceof type) || isPulumiRunError(error);
    if (isUserError) {
        output.err(`error: ${(error as Error).message}\n`);
        return EXIT_CODES.failed;
    }
    output.err(`internal error (please report): ${error instanceof Error ? error.stack : String(error)}\n`);
    return EXIT_CODES.internal;
}

/**
 * A program error Pulumi's runtime raised for the user (index.ts turns config errors into one). Pulumi is loaded
 * only here, when such an error can have come from it: reach and usage errors print without loading the SDK.
 */
function isPulumiRunError(error: unknown): boolean {
    if (typeof error !== "object" || error === null) return false;
    const pulumi = require("@pulumi/pulumi") as typeof Pulumi;
    return pulumi.RunError.isInstance(error);
}

/** Rejects a --stack value that cannot be a stack name (it becomes part of a file name). */
export function checkStackName(stack: string): string {
    if (!/^[A-Za-z0-9_.-]+$/.test(stack)) {
        throw new UsageError(`--stack must be a stack name such as dev or prod, got "${stack}"`);
    }
    return stack;
}

/** Rejects a --today value that is not a calendar day (a command-line mistake, exit code 2, before anything runs). */
export function checkToday(today: string | undefined): string | undefined {
    if (today !== undefined && !isIsoDay(today)) throw new UsageError(`--today must be a day written YYYY-MM-DD, got ${JSON.stringify(today)}`);
    return today;
}
