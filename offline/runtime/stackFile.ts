import * as fs from "node:fs";
import * as path from "node:path";
import { LineCounter, parseDocument } from "yaml";

/** A stack file could not be used; the message names the file (and line). */
export class StackFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackFileError";
    }
}

/** The flat Pulumi config of a stack file: `project:key` -> string, structured values as JSON text. */
export type FlatConfig = Record<string, string>;

/** Where a stack's config file lives: `Pulumi.<stack>.yaml` in the project folder. */
export function stackFilePath(projectDir: string, stack: string): string {
    return path.join(projectDir, `Pulumi.${stack}.yaml`);
}

/**
 * Reads a Pulumi stack file into the flat config map the Pulumi runtime passes to a program.
 * Secure (encrypted) values cannot be decrypted offline and become a placeholder string.
 */
export function readStackFile(file: string): FlatConfig {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        throw new StackFileError(`cannot read stack file ${file}`);
    }
    return parseStackFile(text, file);
}

/** Parses the text of a stack file; see `readStackFile`. */
export function parseStackFile(text: string, file: string): FlatConfig {
    // Positions come from a LineCounter, reasons from the parser's plain message (no source excerpt), so that the
    // error is one line: file:line:column: reason.
    const lineCounter = new LineCounter();
    const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
    if (document.errors.length > 0) {
        const error = document.errors[0];
        const { line, col } = lineCounter.linePos(error.pos[0]);
        const source = text.split(/\r?\n/)[line - 1]?.replace(/\t/g, "\\t").trim();
        throw new StackFileError(`${file}:${line}:${col}: invalid YAML: ${error.message.split("\n")[0]}${source ? ` (in: ${source})` : ""}`);
    }
    const root = document.toJS() as unknown;
    if (root === null || root === undefined) {
        return {};
    }
    if (typeof root !== "object" || Array.isArray(root)) {
        throw new StackFileError(`${file}: expected a mapping with a "config" key`);
    }
    const config = (root as Record<string, unknown>).config ?? {};
    if (typeof config !== "object" || config === null || Array.isArray(config)) {
        throw new StackFileError(`${file}: "config" must be a mapping of key: value`);
    }
    const flat: FlatConfig = {};
    for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
        flat[key] = encodeValue(value);
    }
    return flat;
}

function encodeValue(value: unknown): string {
    if (typeof value === "string") {
        return value;
    }
    if (isSecureValue(value)) {
        return "offline-placeholder-for-secret";
    }
    return JSON.stringify(value);
}

function isSecureValue(value: unknown): boolean {
    return typeof value === "object" && value !== null && Object.keys(value).length === 1 && "secure" in value;
}
