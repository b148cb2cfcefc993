/**
 * cli/common holds what every command shares: running as a process (this file), the command-line layer (options, help,
 * exit codes, 120 columns), user-facing failures and the plan run as a child process. Imports core/ and offline/ only.
 */
import { CommandContext, fitToWidth, processContext } from "./commandLine";
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

/**
 * A command line tool: parses argv (cli/common/commandLine.ts), writes to `output`, returns its exit code. `context` says how
 * the user started it (npm script or bin), for the usage lines; absent, the npm script.
 */
export type Command = (argv: string[], output: CommandOutput, context?: CommandContext) => Promise<number> | number;

/** Shows what a long step is doing, on a terminal only; an empty message clears the line. */
export function progress(output: CommandOutput, message: string): void {
    if (output.errIsTerminal) output.err(`\r\x1b[2K${message}`);
}

/** A warning on standard error: valid input that is probably wrong, wrapped to 120 columns under its first line. */
export function warn(output: CommandOutput, warning: string): void {
    output.err(fitToWidth(`warning: ${warning}\n`));
}

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
export async function runCommand(command: Command, argv: string[], output: CommandOutput, userErrorTypes: ReadonlyArray<new (...args: any[]) => Error> = [], context?: CommandContext): Promise<number> {
    try {
        return await command(argv, output, context);
    } catch (error) {
        return reportFailure(error, userErrorTypes, output);
    }
}

/**
 * The entry point of a CLI process: runs the command on the process's arguments and streams, waits until stdout
 * and stderr have handed everything to the OS, then exits with the command's code. When stdout is a pipe, Node
 * writes to it asynchronously and `process.exit()` drops whatever is still queued (a plan piped to `jq` was cut at
 * 64 KiB; Node's docs on process.exit() warn about exactly this), so the exit waits for the flush. It still exits
 * explicitly: after a config error Pulumi's runtime leaves the stack's own promise rejected, which Node would
 * otherwise print a second time, with a stack trace.
 */
export async function runAsProcess(command: Command, userErrorTypes: ReadonlyArray<new (...args: any[]) => Error> = [], argv = process.argv.slice(2), context: CommandContext = processContext()): Promise<void> {
    // A reader that stops early (`| head`) closes the pipe: stop quietly, as other command-line tools do.
    process.stdout.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code !== "EPIPE") throw error;
        process.exit(process.exitCode ?? 0);
    });
    const code = await runCommand(command, argv, processOutput(), userErrorTypes, context);
    process.exitCode = code;
    // The command has finished and reported its outcome; a rejection settling now is an echo of it.
    process.on("unhandledRejection", () => undefined);
    await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
    process.exit(code);
}

/** Resolves once everything written to the stream so far has been handed to the OS (or the reader went away). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
    return new Promise((resolve) => {
        if (stream.destroyed || !stream.writable) {
            resolve();
            return;
        }
        // Writes complete in order: the callback of an empty write runs after every earlier one.
        stream.write("", () => resolve());
    });
}
