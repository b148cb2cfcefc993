import * as fs from "node:fs";
import * as path from "node:path";
import { Document, isMap, isPair, isScalar, isSeq, LineCounter, Node, Pair, parseDocument, visit, YAMLMap } from "yaml";
import { ConfigError } from "../../core/common";
import { elementName, parseConfigPath, projectConfigValues, readStackConfig, ReadStackConfigOptions, StackConfig } from "../../core/config";

/** A stack file could not be used; the message names the file (and line). */
export class StackFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackFileError";
    }
}

/** The flat Pulumi config of a stack file: `project:key` -> string, structured values as JSON text. */
export type FlatConfig = Record<string, string>;

/** A parsed stack file: its flat config, and where each config path is in it. */
export interface StackFile {
    readonly file: string;
    readonly config: FlatConfig;
    /** `file:line:column` of a config path (`aks-zero-trust:segmentation.namespaces[shop]`), as far as the file has it. */
    locate(configPath: string, message?: string): string | undefined;
}

/** Where a stack's config file lives: `Pulumi.<stack>.yaml` in the project folder. */
export function stackFilePath(projectDir: string, stack: string): string {
    return path.join(projectDir, `Pulumi.${stack}.yaml`);
}

/** The stacks that have a stack file in a folder (`Pulumi.<stack>.yaml`), sorted. */
export function stacksIn(projectDir: string): string[] {
    try {
        return fs.readdirSync(projectDir).flatMap((name) => /^Pulumi\.([^.]+)\.yaml$/.exec(name)?.slice(1, 2) ?? []).sort();
    } catch {
        return [];
    }
}

/**
 * Reads a Pulumi stack file into the flat config map the Pulumi runtime passes to a program.
 * Secure (encrypted) values cannot be decrypted offline and become a placeholder string.
 */
export function readStackFile(file: string): FlatConfig {
    return loadStackFile(file).config;
}

/** Reads and parses a stack file; a missing `Pulumi.<stack>.yaml` names the stacks that exist beside it. */
export function loadStackFile(file: string): StackFile {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        const stack = /^Pulumi\.([^.]+)\.yaml$/.exec(path.basename(file))?.[1];
        const stacks = stacksIn(path.dirname(file));
        const hint = stack && stacks.length > 0 ? `: stacks here: ${stacks.join(", ")} (or --config FILE for another stack file)` : "";
        throw new StackFileError(`cannot read stack file ${displayPath(file)}${hint}`);
    }
    return parseStack(text, file);
}

/** Parses the text of a stack file; see `readStackFile`. */
export function parseStackFile(text: string, file: string): FlatConfig {
    return parseStack(text, file).config;
}

/** The keys Pulumi reads at the top of a stack file (pkg/workspace/project.go, ProjectStack). */
const STACK_FILE_KEYS = ["config", "encryptedkey", "encryptionsalt", "environment", "secretsprovider"];

/**
 * Parses a stack file, refusing what YAML would misread: a tab, an alias or an anchor. `- fqdn: *.adyen.com`
 * unquoted is an alias to an anchor named `.adyen.com`, which YAML resolves (or fails to) instead of reading the text;
 * stack config has no use for anchors, so every alias and anchor is refused with the advice to quote.
 */
export function parseStack(text: string, file: string): StackFile {
    // Positions come from a LineCounter, reasons from the parser's plain message (no source excerpt), so that the
    // error is one line: file:line:column: reason.
    const lineCounter = new LineCounter();
    const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
    const where = (offset: number) => {
        const { line, col } = lineCounter.linePos(offset);
        return `${displayPath(file)}:${line}:${col}`;
    };
    const sourceLine = (offset: number) => text.split(/\r?\n/)[lineCounter.linePos(offset).line - 1]?.replace(/\t/g, "\\t").trim();
    if (document.errors.length > 0) {
        const error = document.errors[0]!;
        const source = sourceLine(error.pos[0]);
        const advice = error.code === "TAB_AS_INDENT" ? "; indent with spaces" : "";
        throw new StackFileError(`${where(error.pos[0])}: invalid YAML: ${error.message.split("\n")[0]}${advice}${source ? ` (in: ${source})` : ""}`);
    }
    refuseAliasesAndAnchors(document, text, where);
    const root = document.contents;
    if (root === null || (isScalar(root) && (root.value === null || root.value === undefined))) {
        return { file, config: {}, locate: () => undefined };
    }
    if (!isMap(root)) throw new StackFileError(`${displayPath(file)}: expected a mapping with a "config" key`);
    for (const pair of root.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : "";
        if (!STACK_FILE_KEYS.includes(key)) {
            const offset = (pair.key as Node | null)?.range?.[0] ?? 0;
            throw new StackFileError(`${where(offset)}: unknown top-level key "${key}": stack settings go under "config:" as "<namespace>:<key>" (e.g. aks-zero-trust:${key})`);
        }
    }
    const configNode = root.get("config", true) as Node | undefined;
    const config = document.toJS().config ?? {};
    if (typeof config !== "object" || config === null || Array.isArray(config)) {
        throw new StackFileError(`${displayPath(file)}: "config" must be a mapping of key: value`);
    }
    const flat: FlatConfig = {};
    for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
        flat[key] = encodeValue(value);
    }
    return {
        file,
        config: flat,
        locate: (configPath, message) => {
            const node = locateConfigPath(configNode, configPath, message);
            return node?.range ? where(node.range[0]) : undefined;
        },
    };
}

/**
 * Validates a stack file's config (core/config's readStackConfig); every problem of a ConfigError gets the
 * `file:line:column` of its key.
 */
export function stackConfigOf(stackFile: StackFile, stack: string, options: ReadStackConfigOptions = {}): StackConfig {
    try {
        return readStackConfig(projectConfigValues(stackFile.config), stack, options);
    } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        throw new ConfigError(error.problems.map((problem) => {
            const location = problem.location ?? stackFile.locate(problem.path, problem.message);
            return location ? { ...problem, location } : problem;
        }));
    }
}

function refuseAliasesAndAnchors(document: Document, text: string, where: (offset: number) => string): void {
    let found: string | undefined;
    visit(document, {
        Alias(_, alias) {
            if (found) return visit.BREAK;
            const offset = alias.range?.[0] ?? 0;
            const written = text.slice(offset, alias.range?.[1] ?? offset).replace(/[,\]}]+$/, "").trim();
            found = `${where(offset)}: ${written} is a YAML alias (a value starting with "*"), which stack config does not use; if you meant the text, quote it: "${written}"`;
            return visit.BREAK;
        },
        Node(_, node) {
            if (found || !node.anchor) return found ? visit.BREAK : undefined;
            const offset = text.lastIndexOf(`&${node.anchor}`, node.range?.[0] ?? 0);
            found = `${where(Math.max(offset, 0))}: &${node.anchor} is a YAML anchor (a value starting with "&"), which stack config does not use; if you meant the text, quote it: "&${node.anchor}${isScalar(node) && node.value !== null ? ` ${String(node.value)}` : ""}"`;
            return visit.BREAK;
        },
    });
    if (found) throw new StackFileError(found);
}

/**
 * The node a config path names: the config key's value, then each step down (a list element by position or by
 * name). For an "unknown key" message, the unknown key itself. When the path goes further than the file (a
 * missing key), the last node found.
 */
function locateConfigPath(configNode: Node | undefined, configPath: string, message = ""): Node | undefined {
    if (!isMap(configNode)) return undefined;
    const { key, steps } = parseConfigPath(configPath);
    const keyPair = configNode.items.find((pair) => isScalar(pair.key) && pair.key.value === key);
    if (!keyPair) return undefined;
    let node: Node | undefined = (keyPair.value as Node | null) ?? (keyPair.key as Node);
    let keyNode: Node | undefined = keyPair.key as Node;
    for (const step of steps) {
        if (step.kind === "key" && isMap(node)) {
            const map: YAMLMap = node;
            const pair: Pair | undefined = map.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === step.name);
            if (!pair) return node;
            keyNode = pair.key as Node;
            node = (pair.value as Node | null) ?? keyNode;
        } else if (step.kind === "element" && isSeq(node)) {
            const items = node.items as Node[];
            const byIndex = /^\d+$/.test(step.label) ? items[Number(step.label)] : undefined;
            const element = byIndex ?? items.find((item) => elementName(isMap(item) ? item.toJSON() : undefined) === step.label);
            if (!element) return node;
            node = element;
            keyNode = element;
        } else {
            return node;
        }
    }
    const unknownKey = /^unknown keys? "([^"]+)"/.exec(message)?.[1];
    if (unknownKey && isMap(node)) {
        const pair = node.items.find((item: { key: unknown }) => isScalar(item.key) && item.key.value === unknownKey);
        if (pair) return pair.key as Node;
    }
    // A bad value is shown where its value starts; a problem with a whole mapping or list, where its key is.
    return isScalar(node) ? node : keyNode ?? node;
}

/** A file as the user would type it: relative to the working folder when inside it. */
function displayPath(file: string): string {
    const relative = path.relative(process.cwd(), file);
    return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
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
