import { isMap, isSeq, type Document, type YAMLMap } from "yaml";
import { PROJECT } from "../../core/config";
import type { EgressHolder, IngressHolder, ReviewTarget } from "../../core/evidence";
import { StackFileError } from "../runtime";

type Path = ReadonlyArray<string | number>;

/** Removal order: entries inside a holder before the holder itself, so that every path still resolves. */
const ORDER: ReadonlyArray<ReviewTarget["kind"]> = ["flow", "ingressFrom", "fqdn", "cidr", "override", "workload", "namespace", "infrastructure", "peer"];

/**
 * Removes review targets from a stack file's Document (see applyProposalsToStackText for the Document API): a list
 * left empty loses its key, and an `egress` left empty goes too, so that the file reads as if written without them.
 * A target the file does not hold is a StackFileError: the review and the file disagree.
 */
export function removeTargets(document: Document, targets: readonly ReviewTarget[], file: string, segmentation: Path): void {
    const sorted = [...targets].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
    const missing = (what: string): never => {
        throw new StackFileError(`${file}: cannot remove ${what}: not found under ${PROJECT}:segmentation`);
    };
    const itemIndex = (path: Path, matches: (item: YAMLMap) => boolean): number => {
        const list = document.getIn(path, true);
        return isSeq(list) ? list.items.findIndex((item) => isMap(item) && matches(item)) : -1;
    };
    const namespacePath = (name: string, key: "namespaces" | "infrastructure" | "peers" = "namespaces"): Path => {
        const index = itemIndex([...segmentation, key], (item) => item.get("name") === name);
        return index < 0 ? missing(`${key} entry ${name}`) : [...segmentation, key, index];
    };
    const workloadPath = (namespace: string, workload: string): Path => {
        const base = namespacePath(namespace);
        const index = itemIndex([...base, "workloads"], (item) => item.get("name") === workload);
        return index < 0 ? missing(`workload ${namespace}/${workload}`) : [...base, "workloads", index];
    };
    const holderPath = (holder: EgressHolder | IngressHolder): Path => {
        switch (holder.kind) {
            case "workload":
                return workloadPath(holder.namespace, holder.workload);
            case "infrastructure":
                return namespacePath(holder.name, "infrastructure");
            case "peer":
                return namespacePath(holder.name, "peers");
            case "cluster":
                return ["config", `${PROJECT}:egress`];
        }
    };
    /** Deletes the items of the list at `path` that match; drops the list's key when it is left empty. */
    const deleteItems = (path: Path, matches: (item: YAMLMap) => boolean, what: string) => {
        const list = document.getIn(path, true);
        if (!isSeq(list)) return missing(what);
        const before = list.items.length;
        list.items = list.items.filter((item) => !(isMap(item) && matches(item)));
        if (list.items.length === before) missing(what);
        if (list.items.length === 0) document.deleteIn(path);
    };
    const dropEmptyEgress = (holder: Path) => {
        const egress = document.getIn([...holder, "egress"], true);
        if (isMap(egress) && egress.items.length === 0) document.deleteIn([...holder, "egress"]);
    };
    const deleteAt = (path: Path) => {
        const listPath = path.slice(0, -1);
        document.deleteIn(path);
        const list = document.getIn(listPath, true);
        if (isSeq(list) && list.items.length === 0) document.deleteIn(listPath);
    };

    for (const target of sorted) {
        switch (target.kind) {
            case "flow":
                deleteItems([...segmentation, "flows"], (item) => item.get("from") === target.from && item.get("to") === target.to, `flow ${target.from} -> ${target.to}`);
                break;
            case "ingressFrom": {
                const holder = holderPath(target.holder);
                deleteItems([...holder, "ingressFrom"], (item) => item.get("namespace") === target.namespace, `ingressFrom namespace ${target.namespace}`);
                break;
            }
            case "fqdn": {
                const holder = holderPath(target.holder);
                const fqdns = target.holder.kind === "cluster" ? [...holder, "fqdns"] : [...holder, "egress", "fqdns"];
                deleteItems(fqdns, (item) => String(item.get("fqdn")).toLowerCase() === target.fqdn, `FQDN ${target.fqdn}`);
                if (target.holder.kind === "cluster") {
                    const egress = document.getIn(holder, true);
                    if (isMap(egress) && egress.items.length === 0) document.deleteIn(holder);
                } else {
                    dropEmptyEgress(holder);
                }
                break;
            }
            case "cidr": {
                const holder = holderPath(target.holder);
                deleteItems([...holder, "egress", "cidrs"], (item) => item.get("cidr") === target.cidr, `CIDR ${target.cidr}`);
                dropEmptyEgress(holder);
                break;
            }
            case "override": {
                const base = namespacePath(target.namespace);
                deleteItems([...base, "overrides"], (item) => (item.getIn(["metadata", "name"]) as unknown) === target.name, `override ${target.namespace}/${target.name}`);
                break;
            }
            case "workload":
                deleteAt(workloadPath(target.namespace, target.workload));
                break;
            case "namespace":
                deleteAt(namespacePath(target.namespace));
                break;
            case "infrastructure":
                deleteAt(namespacePath(target.name, "infrastructure"));
                break;
            case "peer":
                deleteAt(namespacePath(target.name, "peers"));
                break;
        }
    }
}
