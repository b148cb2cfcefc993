import { reportFailure } from "./failure";

/** Where a command writes: the process streams, or buffers in tests that run a command in-process. */
export interface CommandOutput {
    /** Writes to standard output (data: text, JSON, Markdown). */
    out(text: string): void;
    /** Writes to standard error (progress, warnings, errors). */
    err(text: string): void;
    /** Whether standard error is a terminal (progress lines only go there). */
    readonly errIsTerminal: boolean;
}

/** A command line tool: parses argv, writes to `output`, returns its exit code. */
export type Command = (argv: string[], output: CommandOutput) => Promise<number> | number;

/** The process's own streams. */
export function processOutput(): CommandOutput {
    return {
        out: (text) => void process.stdout.write(text),
        err: (text) => void process.stderr.write(text),
        errIsTerminal: process.stderr.isTTY === true,
    };
}

/**
 * Runs a command and maps an error to its message and exit code (see reportFailure). Resolves to the exit code;
 * nothing here ends the process.
 */
export async function runCommand(command: Command, argv: string[], output: CommandOutput, userErrorTypes: ReadonlyArray<new (...args: any[]) => Error> = []): Promise<number> {
    try {
        return await command(argv, output);
    } catch (error) {
        return reportFailure(error, userErrorTypes, output);
    }
}

/**
 * The entry point of a CLI process: runs the command on the process's arguments and streams, then sets
 * `process.exitCode` and lets Node end by itself. Never `process.exit()`: when stdout is a pipe, Node writes to it
 * asynchronously, and exit() drops whatever is still queued (a plan piped to `jq` was cut at 64 KiB). Node's docs
 * on process.exit() say the same: "set process.exitCode and allow the process to exit naturally".
 */
export function runAsProcess(command: Command, userErrorTypes: ReadonlyArray<new (...args: any[]) => Error> = [], argv = process.argv.slice(2)): Promise<void> {
    return runCommand(command, argv, processOutput(), userErrorTypes).then((code) => {
        process.exitCode = code;
    });
}
