/**
 * The one command-line layer every command uses: each command declares its options once (a CommandSpec), and this
 * file parses argv against it, writes its `--help`, suggests the nearest option or command for a slip, and spots the
 * `--` that `npm run` needs.
 *
 * Built on Node's own `util.parseArgs` (stable since Node 20): it parses exactly what the commands need (long and
 * short options, strict values, tokens for reach's two-value `--explain`), adds no dependency to the shared
 * node_modules, and starts in no time, which matters to `reach` (its whole process is benchmarked). What it lacks
 * (help pages, "did you mean", npm's eaten options) is the small part written here.
 */
import { parseArgs } from "node:util";
import { nearestName } from "../../core/common";
import { EXIT_CODES_TEXT, UsageError } from "./failure";

/** Exit codes, the same for every command (cli/common/failure.ts, where failures become them). */
export { EXIT_CODES, EXIT_CODES_TEXT } from "./failure";

/** One option of a command. */
export interface OptionSpec {
    /** The long name, without dashes: `stack`. */
    readonly name: string;
    readonly short?: string;
    /** The placeholder of its value (`NAME`, `FILE`); absent for a flag. */
    readonly value?: string;
    readonly description: string;
    /** The value when the option is not given. */
    readonly default?: string;
    /** The only values it takes. */
    readonly choices?: readonly string[];
    readonly required?: boolean;
    /** Given several times (or, where the command expands it, with several values): its value is a list. */
    readonly multiple?: boolean;
    /** How it is used: `--stack prod`. */
    readonly example?: string;
    /** Left out of the help (internal plumbing). */
    readonly hidden?: boolean;
}

/** A command as its help describes it and its parser reads it. */
export interface CommandSpec {
    /** The command's name under the bin: `npx aks-zero-trust plan`. */
    readonly name: string;
    /** The npm script that runs it (`npm run plan --`); the name when absent. */
    readonly npmScript?: string;
    /** One line, for `aks-zero-trust --help`. */
    readonly summary: string;
    /** What it does, a few lines. */
    readonly description: string;
    /** Operands after the options (`PATH...`); absent when it takes none. */
    readonly operands?: string;
    /** Further usage lines, after the command's own prefix (`diff [--format F] OLD NEW`). */
    readonly moreUsage?: readonly string[];
    readonly options: readonly OptionSpec[];
    /** Example argument lists, each with what it does after `#`. */
    readonly examples: readonly string[];
}

/** How the user started the command: it decides the form usage lines and hints show. */
export interface CommandContext {
    /** `npm run plan --` (npm) or `npx aks-zero-trust plan` (the package's bin). */
    readonly via: "npm" | "bin";
    /** The environment (npm passes its own settings here, `npm_config_*`). */
    readonly env: Readonly<Record<string, string | undefined>>;
}

/** The context of a process started by npm's script (the default) or by the bin (cli/main.ts). */
export function processContext(via: "npm" | "bin" = "npm"): CommandContext {
    return { via, env: process.env };
}

/** What the user types to run the command: `npm run plan --` or `npx aks-zero-trust plan`. */
export function commandPrefix(spec: CommandSpec, context: CommandContext): string {
    return context.via === "bin" ? `npx aks-zero-trust ${spec.name}` : `npm run ${spec.npmScript ?? spec.name} --`;
}

/** The help option every command has. */
const HELP: OptionSpec = { name: "help", short: "h", description: "show this help and exit" };

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/** A parsed command line: the options (defaults applied), the operands, and the tokens (for options that take two values). */
export interface ParsedCommandLine {
    readonly values: OptionValues;
    readonly positionals: readonly string[];
    readonly tokens: ReadonlyArray<{ kind: "option"; name: string; index: number; inlineValue?: boolean } | { kind: "positional"; value: string; index: number } | { kind: "option-terminator"; index: number }>;
}

/**
 * Parses argv against the command's options. Returns undefined when `--help` was asked for (the help is then written
 * to `out`); throws a UsageError, with the usage line, for a mistake: an unknown option (with the nearest known one),
 * a missing or unexpected value, a value outside the option's choices, a missing required option, an operand the
 * command does not take. Under `npm run`, options npm kept for itself (the missing `--`) are named first.
 */
export function parseCommandLine(spec: CommandSpec, argv: readonly string[], context: CommandContext, out: (text: string) => void): ParsedCommandLine | undefined {
    const options = [...spec.options, HELP];
    const fail = (message: string): never => {
        throw commandLineMistake(spec, context, message);
    };
    // A first, lenient pass finds unknown options, so that the error can name the nearest known one.
    const loose = parseArgs({ args: [...argv], options: parseArgsOptions(options), strict: false, allowPositionals: true, tokens: true });
    const eaten = optionsNpmKept(spec, context);
    if (eaten.length > 0) {
        // npm passes on the value of an option it kept (`--stack prod`: "prod"), unless written `--stack=prod`.
        const values = [...loose.positionals];
        const typed = eaten.map((name) => {
            const option = spec.options.find((candidate) => candidate.name === name)!;
            const kept = context.env[`npm_config_${name.replace(/-/g, "_")}`];
            const value = !option.value ? undefined : kept !== undefined && kept !== "true" && kept !== "" ? kept : values.shift();
            return `--${name}${value !== undefined ? ` ${value}` : ""}`;
        });
        fail(`npm took ${eaten.map((name) => `--${name}`).join(" ")} as its own setting (npm_config_${eaten[0]!.replace(/-/g, "_")}): options for the command go after "--": npm run ${spec.npmScript ?? spec.name} -- ${typed.join(" ")}`);
    }
    for (const token of loose.tokens) {
        if (token.kind !== "option" || options.some((option) => option.name === token.name || option.short === token.name)) continue;
        const written = token.rawName;
        const nearest = nearestName(token.name, options.filter((option) => !option.hidden).map((option) => option.name));
        fail(`unknown option ${written}${nearest ? ` (did you mean --${nearest}?)` : ""}`);
    }
    if (loose.values.help === true) {
        out(helpText(spec, context));
        return undefined;
    }
    let parsed: ReturnType<typeof parseArgs>;
    try {
        parsed = parseArgs({ args: [...argv], options: parseArgsOptions(options), strict: true, allowPositionals: true, tokens: true });
    } catch (error) {
        fail(plainParseError(error as Error & { code?: string }, options));
        throw error;
    }
    const values: OptionValues = { ...(parsed.values as OptionValues) };
    for (const option of spec.options) {
        const value = values[option.name];
        if (value === undefined && option.default !== undefined) values[option.name] = option.default;
        if (typeof value === "string" && option.choices && !option.choices.includes(value)) {
            const nearest = nearestName(value, option.choices);
            fail(`--${option.name} must be ${alternatives(option.choices)}, got "${value}"${nearest ? ` (did you mean ${nearest}?)` : ""}`);
        }
        if (typeof value === "string" && value.trim() === "") fail(`--${option.name} needs a value, e.g. ${option.example ?? `--${option.name} ${option.value}`}`);
        if (option.required && value === undefined) fail(`--${option.name} is required, e.g. ${option.example ?? `--${option.name} ${option.value}`}`);
    }
    const positionals = parsed.positionals;
    if (!spec.operands && positionals.length > 0) {
        const underNpm = context.via === "npm" ? ` (under npm run, options go after "--": npm run ${spec.npmScript ?? spec.name} -- --option value)` : "";
        fail(`unexpected argument "${positionals[0]}": ${spec.name} takes options only${underNpm}`);
    }
    return { values, positionals, tokens: (parsed.tokens ?? []) as ParsedCommandLine["tokens"] };
}

/** A mistake in a command line, as a UsageError carrying the usage lines and where the help is. */
export function commandLineMistake(spec: CommandSpec, context: CommandContext, message: string): UsageError {
    return new UsageError(`${message}\n${usageLines(spec, context).join("\n")}\n(${commandPrefix(spec, context)} --help describes every option)`);
}

function parseArgsOptions(options: readonly OptionSpec[]) {
    return Object.fromEntries(options.map((option) => [option.name, { type: option.value ? ("string" as const) : ("boolean" as const), ...(option.short ? { short: option.short } : {}), ...(option.multiple ? { multiple: true } : {}) }]));
}

/** util.parseArgs's messages, in this layer's words (its own mention `--foo <value>` forms and "To specify ..." advice). */
function plainParseError(error: Error & { code?: string }, options: readonly OptionSpec[]): string {
    const name = /'(?:-\w, )?--([\w-]+)/.exec(error.message)?.[1];
    const option = options.find((candidate) => candidate.name === name);
    const example = option ? option.example ?? `--${option.name} ${option.value ?? ""}`.trim() : undefined;
    switch (error.code) {
        case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
            if (option?.value) return `--${option.name} needs a value${example ? `, e.g. ${example}` : ""}`;
            if (option) return `--${option.name} takes no value`;
            break;
    }
    return error.message.split(". ")[0]!;
}

/** "a, b or c". */
function alternatives(values: readonly string[]): string {
    return values.length <= 1 ? values.join("") : `${values.slice(0, -1).join(", ")} or ${values.at(-1)}`;
}

/**
 * npm's own settings that `npm run X --stack prod` (no `--`) made of the command's options: npm keeps an option it does
 * not know as `npm_config_<name>` in the script's environment and passes on only its value. Read only when npm runs
 * this command's own script (npm sets npm_lifecycle_event to the script's name).
 */
function optionsNpmKept(spec: CommandSpec, context: CommandContext): string[] {
    if (context.via !== "npm" || context.env.npm_lifecycle_event !== (spec.npmScript ?? spec.name)) return [];
    const names = spec.options.filter((option) => !option.hidden).map((option) => option.name);
    return Object.keys(context.env)
        .filter((key) => key.startsWith("npm_config_") && context.env[key] !== undefined)
        .map((key) => key.slice("npm_config_".length).replace(/_/g, "-"))
        .filter((name) => names.includes(name))
        .sort();
}

/** The usage lines: `usage: npm run plan -- [--stack NAME] ...`. */
export function usageLines(spec: CommandSpec, context: CommandContext): string[] {
    const prefix = commandPrefix(spec, context);
    const shown = spec.options.filter((option) => !option.hidden);
    const words = shown.map((option) => {
        // A no-break space keeps an option and its value on one line when the usage wraps.
        const text = `--${option.name}${option.value ? `\u00a0${option.choices ? option.choices.join("|") : option.value}` : ""}`;
        return option.required ? text : `[${text}]`;
    });
    const first = `usage: ${prefix} ${[...words, ...(spec.operands ? [spec.operands] : [])].join(" ")}`;
    const lines = wrapWords(first, WIDTH, " ".repeat(`usage: ${prefix} `.length)).map((line) => line.replace(/\u00a0/g, " "));
    return [...lines, ...(spec.moreUsage ?? []).map((line) => `       ${prefix} ${line}`)];
}

/** The width every command's text output keeps to (a 120-column terminal). */
export const WIDTH = 120;

/** A command's --help: usage, what it does, every option with its default and an example, examples, exit codes. */
export function helpText(spec: CommandSpec, context: CommandContext): string {
    const prefix = commandPrefix(spec, context);
    const options = [...spec.options.filter((option) => !option.hidden), HELP];
    const heads = options.map((option) => `${option.short ? `-${option.short}, ` : "    "}--${option.name}${option.value ? ` ${option.value}` : ""}`);
    const column = Math.min(30, Math.max(...heads.map((head) => head.length)) + 4);
    const lines = [...usageLines(spec, context), "", ...wrapWords(spec.description, WIDTH), "", "options:"];
    options.forEach((option, index) => {
        const facts = [
            option.choices ? `one of ${option.choices.join(", ")}` : "",
            option.default !== undefined ? `default ${option.default}` : "",
            option.required ? "required" : "",
        ].filter(Boolean);
        const text = `${option.description}${facts.length > 0 ? ` (${facts.join("; ")})` : ""}${option.example ? `. e.g. ${option.example}` : ""}`;
        const head = `  ${heads[index]}`;
        const indent = " ".repeat(column + 2);
        const body = wrapWords(text, WIDTH - indent.length);
        if (head.length + 2 > column + 2) {
            lines.push(head, ...body.map((line) => `${indent}${line}`));
        } else {
            lines.push(`${head.padEnd(column + 2)}${body[0]}`, ...body.slice(1).map((line) => `${indent}${line}`));
        }
    });
    lines.push("", "examples:", ...spec.examples.map((example) => `  ${prefix} ${example}`), "", EXIT_CODES_TEXT);
    return `${fitToWidth(lines.join("\n"))}\n`;
}

/** Splits text into lines of at most `width` characters at spaces; `indent` starts every line after the first. */
export function wrapWords(text: string, width: number, indent = ""): string[] {
    const lines: string[] = [];
    for (const paragraph of text.split("\n")) {
        let line = "";
        for (const word of paragraph.split(" ")) {
            const candidate = line === "" ? word : `${line} ${word}`;
            if (line !== "" && [...candidate].length > width) {
                lines.push(line);
                line = `${indent}${word}`;
            } else {
                line = candidate;
            }
        }
        lines.push(line);
    }
    return lines;
}

/**
 * Keeps text to `width` columns: a longer line wraps at its last space that fits, continuing under its own
 * indentation plus two; a word that still does not fit is cut and marked with `…`. Shorter lines are unchanged.
 */
export function fitToWidth(text: string, width = WIDTH): string {
    return text
        .split("\n")
        .flatMap((line) => fitLine(line, width))
        .join("\n");
}

function fitLine(line: string, width: number): string[] {
    const chars = [...line];
    if (chars.length <= width) return [line];
    const indent = /^\s*/.exec(line)![0];
    const continuation = `${indent}  `.slice(0, Math.floor(width / 2));
    const out: string[] = [];
    let rest = chars;
    let lead = "";
    while ([...lead, ...rest].length > width) {
        const room = width - lead.length;
        const head = rest.slice(0, room + 1);
        const space = head.lastIndexOf(" ");
        // Break at the last space past the indentation; a single word longer than the room is cut with a mark.
        if (space > (lead === "" ? indent.length : 0)) {
            out.push(`${lead}${rest.slice(0, space).join("")}`.trimEnd());
            rest = rest.slice(space + 1);
        } else {
            const next = rest.indexOf(" ", room);
            out.push(`${lead}${rest.slice(0, room - 1).join("")}…`);
            rest = next < 0 ? [] : rest.slice(next + 1);
        }
        lead = continuation;
        while (rest[0] === " ") rest = rest.slice(1);
    }
    if (rest.length > 0) out.push(`${lead}${rest.join("")}`);
    return out;
}
