import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import type { KubeObject } from "../../core/calico";
import { ADDRESS_NAMES_KIND, type AddressName } from "../../reach";
import type { MockRun } from "./mockRuntime";

/** A file the plan writes: relative path and YAML text. */
export interface ManifestFile {
    readonly path: string;
    readonly text: string;
}

/** The Kubernetes objects a run would apply, exactly as registered with the Kubernetes provider. */
export function appliedObjects(run: MockRun): KubeObject[] {
    return run.resources
        // Helm releases (the Tigera operator's chart) are not objects of their own: their inputs are chart settings.
        .filter((resource) => resource.type.startsWith("kubernetes:") && !resource.type.startsWith("kubernetes:helm.sh/"))
        .map((resource) => {
            const { apiVersion, kind, metadata, spec } = resource.inputs as unknown as KubeObject;
            return spec === undefined ? { apiVersion, kind, metadata } : { apiVersion, kind, metadata, spec };
        });
}

/** One file per object: `<folder>/<namespace or _cluster>/<kind>-<name>.yaml`, stable names and content. */
export function manifestFiles(folder: string, objects: readonly KubeObject[]): ManifestFile[] {
    return objects
        .map((object) => ({
            path: path.posix.join(folder, object.metadata.namespace ?? "_cluster", `${object.apiVersion.includes("projectcalico.org") ? "calico-" : ""}${object.kind.toLowerCase()}-${object.metadata.name}.yaml`),
            text: stringify(object, { lineWidth: 0 }),
        }))
        .sort((a, b) => a.path.localeCompare(b.path));
}

/** The stack's own address sets by name, as a document reach reads among the manifests (`kind: AddressNames`). */
export function addressNamesFile(names: readonly AddressName[]): ManifestFile {
    return { path: "address-names.yaml", text: stringify({ apiVersion: "aks-zero-trust.io/v1", kind: ADDRESS_NAMES_KIND, names }, { lineWidth: 0 }) };
}

/** Writes files under a directory, replacing what an earlier plan wrote there. */
export function writeManifestFiles(outDir: string, files: readonly ManifestFile[]): void {
    for (const folder of new Set(files.map((file) => file.path.split("/")[0]))) {
        fs.rmSync(path.join(outDir, folder), { recursive: true, force: true });
    }
    for (const file of files) {
        const target = path.join(outDir, file.path);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, file.text);
    }
}
