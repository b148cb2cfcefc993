/**
 * Config paths as errors print them: `aks-zero-trust:segmentation.namespaces[shop].workloads[backend].egress`.
 * A list element that has a name is named by it (`[shop]`, not `[0]`): the reader finds it in the file by that
 * name. The same grammar lets the stack-file reader (offline/runtime/stackFile.ts) find the line of a path.
 */

/** One step below a config key: a mapping key (`.egress`) or a list element (`[shop]` by name, `[0]` by position). */
export type ConfigPathStep = { readonly kind: "key"; readonly name: string } | { readonly kind: "element"; readonly label: string };

/** A path split into its config key (`aks-zero-trust:segmentation`) and the steps below it. */
export interface ConfigPathParts {
    readonly key: string;
    readonly steps: readonly ConfigPathStep[];
}

/** Splits `ns:key.a[b].c[0]` into its key and steps (a name in brackets may hold dots: `[app.kubernetes.io]`). */
export function parseConfigPath(path: string): ConfigPathParts {
    const keyEnd = path.search(/[.[]/);
    const key = keyEnd < 0 ? path : path.slice(0, keyEnd);
    const steps: ConfigPathStep[] = [];
    let rest = keyEnd < 0 ? "" : path.slice(keyEnd);
    while (rest !== "") {
        const element = /^\[([^\]]*)\]/.exec(rest);
        const field = /^\.([^.[]+)/.exec(rest);
        if (element) {
            steps.push({ kind: "element", label: element[1]! });
            rest = rest.slice(element[0].length);
        } else if (field) {
            steps.push({ kind: "key", name: field[1]! });
            rest = rest.slice(field[0].length);
        } else {
            break;
        }
    }
    return { key, steps };
}

/** The name of a list element, when it has one: `name`, or `metadata.name` (an override). */
export function elementName(element: unknown): string | undefined {
    if (typeof element !== "object" || element === null) return undefined;
    const named = element as { name?: unknown; metadata?: { name?: unknown } };
    const name = typeof named.name === "string" ? named.name : typeof named.metadata?.name === "string" ? named.metadata.name : undefined;
    return name && /^[\w.\/-]+$/.test(name) && !/^\d+$/.test(name) ? name : undefined;
}

/**
 * Rewrites the positions of named elements to their names, given the config values the path points into (keyed
 * without the namespace): `aks-zero-trust:segmentation.namespaces[1].workloads[0]` ->
 * `aks-zero-trust:segmentation.namespaces[shop].workloads[backend]`. A position stays when its element has no
 * name, or a sibling has the same name (then the name would not say which).
 */
export function namedConfigPath(path: string, values: Readonly<Record<string, unknown>>): string {
    const { key, steps } = parseConfigPath(path);
    let current: unknown = values[key.slice(key.indexOf(":") + 1)];
    let text = key;
    for (const step of steps) {
        if (step.kind === "key") {
            text += `.${step.name}`;
            current = typeof current === "object" && current !== null && !Array.isArray(current) ? (current as Record<string, unknown>)[step.name] : undefined;
            continue;
        }
        const index = Number(step.label);
        const list = Array.isArray(current) ? current : undefined;
        const element = list && Number.isInteger(index) ? list[index] : undefined;
        const name = elementName(element);
        const unique = name !== undefined && list!.filter((sibling) => elementName(sibling) === name).length === 1;
        text += `[${unique ? name : step.label}]`;
        current = element;
    }
    return text;
}
