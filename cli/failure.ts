import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../core/errors";

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
export function reportFailure(error: unknown, userErrorTypes: ReadonlyArray<new (...args: any[]) => Error> = []): number {
    if (error instanceof UsageError) {
        process.stderr.write(`error: ${error.message}\n`);
        return 2;
    }
    const isUserError = error instanceof ConfigError || pulumi.RunError.isInstance(error) || userErrorTypes.some((type) => error instanceof type);
    if (isUserError) {
        process.stderr.write(`error: ${(error as Error).message}\n`);
        return 1;
    }
    process.stderr.write(`internal error (please report): ${error instanceof Error ? error.stack : String(error)}\n`);
    return 3;
}
