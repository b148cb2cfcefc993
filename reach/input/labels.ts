import { type FieldPath, type SourceLocation, fieldError } from "./errors";
import { ALL, type Selector, andSelectors } from "./selector";

/** A Kubernetes metav1.LabelSelector as found in manifests. */
export interface LabelSelectorInput {
    readonly matchLabels?: Readonly<Record<string, string>> | null;
    readonly matchExpressions?:
        | readonly { readonly key: string; readonly operator: string; readonly values?: readonly string[] | null }[]
        | null;
}

/**
 * Translates a Kubernetes LabelSelector into the selector tree shared with Calico.
 * The meanings line up: NotIn and DoesNotExist match when the key is absent, like Calico's `not in` and `!has()`.
 * An empty selector ({}) selects everything.
 */
export function compileLabelSelector(
    input: LabelSelectorInput,
    source: SourceLocation | undefined,
    path: FieldPath,
): Selector {
    const terms: Selector[] = [];
    for (const [key, value] of Object.entries(input.matchLabels ?? {})) {
        terms.push({ op: "==", key, value });
    }
    (input.matchExpressions ?? []).forEach((requirement, index) => {
        const here = [...path, "matchExpressions", index];
        const values = requirement.values ?? [];
        switch (requirement.operator) {
            case "In":
            case "NotIn":
                if (values.length === 0) {
                    throw fieldError(source, [...here, "values"], `operator ${requirement.operator} needs at least one value`);
                }
                terms.push({ op: requirement.operator === "In" ? "in" : "not in", key: requirement.key, values: [...values] });
                break;
            case "Exists":
            case "DoesNotExist":
                if (values.length > 0) {
                    throw fieldError(source, [...here, "values"], `operator ${requirement.operator} takes no values`);
                }
                terms.push(
                    requirement.operator === "Exists"
                        ? { op: "has", key: requirement.key }
                        : { op: "!", operand: { op: "has", key: requirement.key } },
                );
                break;
            default:
                throw fieldError(
                    source,
                    [...here, "operator"],
                    `unknown operator ${JSON.stringify(requirement.operator)}; expected In, NotIn, Exists or DoesNotExist`,
                );
        }
    });
    return terms.length === 0 ? ALL : andSelectors(...terms);
}
