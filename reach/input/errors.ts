/** A path to a field inside a manifest object: keys and list indexes, e.g. ["spec", "ingress", 0]. */
export type FieldPath = readonly (string | number)[];

/** Where a manifest object came from, so errors can name the place. */
export interface SourceLocation {
    /** File the object was read from, as the user wrote it. */
    readonly file: string;
    /** 1-based line where the object starts, when known. */
    readonly line?: number;
    /** 1-based line of a field inside the object, when known. */
    readonly lineOf?: (path: FieldPath) => number | undefined;
}

/** A non-fatal problem in the input, reported once and then ignored. */
export interface Warning {
    /** Where the problem is, when known. */
    readonly source?: SourceLocation;
    /** Line of the offending field or object, when known. */
    readonly line?: number;
    /** What is wrong and what was done about it. */
    readonly message: string;
}

/** A mistake in the user's input (manifests, selectors, expectations): the message names the place and the reason. */
export class InputError extends Error {
    /** File the mistake is in, when known. */
    readonly file?: string;
    /** 1-based line of the mistake, when known. */
    readonly line?: number;
    /** The reason alone, without the place. */
    readonly reason: string;

    constructor(reason: string, file?: string, line?: number) {
        super(`${placeText(file, line)}${reason}`);
        this.name = "InputError";
        this.reason = reason;
        this.file = file;
        this.line = line;
    }
}

/** Renders "file:line: " (or "file: " or "") for the start of a message. */
export function placeText(file?: string, line?: number): string {
    if (file === undefined) return line === undefined ? "" : `line ${line}: `;
    return line === undefined ? `${file}: ` : `${file}:${line}: `;
}

/** Renders a field path the way users write it: spec.ingress[0].from[1]. */
export function fieldPathText(path: FieldPath): string {
    let text = "";
    for (const part of path) {
        if (typeof part === "number") text += `[${part}]`;
        else text += text === "" ? part : `.${part}`;
    }
    return text;
}

/** Best line for a field: the field's own line, else the object's line. */
export function lineFor(source: SourceLocation | undefined, path: FieldPath): number | undefined {
    if (source === undefined) return undefined;
    return source.lineOf?.(path) ?? source.line;
}

/** Builds an InputError located at a field of an object: "file:line: spec.x[0]: reason". */
export function fieldError(source: SourceLocation | undefined, path: FieldPath, reason: string): InputError {
    const prefix = path.length > 0 ? `${fieldPathText(path)}: ` : "";
    return new InputError(`${prefix}${reason}`, source?.file, lineFor(source, path));
}

/** Renders a warning as one line: "warning: file:line: message". */
export function formatWarning(warning: Warning): string {
    const line = warning.line ?? warning.source?.line;
    return `warning: ${placeText(warning.source?.file, line)}${warning.message}`;
}
