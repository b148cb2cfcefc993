/** One thing wrong with the user's input, and where it is. */
export interface Problem {
    /** Where the bad value lives, e.g. `aks-zero-trust:network.vnetCidr`. */
    readonly path: string;
    /** What was expected and what was found. */
    readonly message: string;
    /** Where it is in a file, `Pulumi.dev.yaml:64:19`, when the config was read from one. */
    readonly location?: string;
}

/**
 * The stack config is invalid. Raised before any resource is created, so nothing is half-applied.
 * Entry points print `message` and exit non-zero, without a stack trace.
 */
export class ConfigError extends Error {
    readonly problems: readonly Problem[];

    constructor(problems: readonly Problem[]) {
        super(describeProblems(problems));
        this.name = "ConfigError";
        this.problems = problems;
    }
}

function describeProblems(problems: readonly Problem[]): string {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    const lines = problems.map((problem) => `  - ${problem.location ? `${problem.location}: ` : ""}${problem.path}: ${problem.message}`);
    return [`Invalid stack config (${count}):`, ...lines].join("\n");
}

/** Collects problems while validating, so the user sees all of them at once. */
export class ProblemList {
    private readonly items: Problem[] = [];

    /** Records a problem at `path`. */
    add(path: string, message: string): void {
        this.items.push({ path, message });
    }

    /** Whether nothing was recorded. */
    get isEmpty(): boolean {
        return this.items.length === 0;
    }

    /** Throws a ConfigError carrying every recorded problem, if any; `rename` rewrites each path first. */
    throwIfAny(rename: (path: string) => string = (path) => path): void {
        if (!this.isEmpty) {
            throw new ConfigError(this.items.map((problem) => ({ ...problem, path: rename(problem.path) })));
        }
    }
}
