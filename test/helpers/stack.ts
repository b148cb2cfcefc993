import * as path from "node:path";
import { vi } from "vitest";
import { CapturedResource, MockRun, OfflineDeployer, resourceKey } from "../../offline/runtime";
import { readStackFile, stackFilePath, FlatConfig } from "../../offline/runtime";

export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/** The flat config of a checked-in stack file. */
export function stackConfig(stack: string): FlatConfig {
    return readStackFile(stackFilePath(PROJECT_DIR, stack));
}

/**
 * Runs index.ts under mocks with a checked-in stack's config. The program registers its resources when it is
 * imported, once per module registry, and test files that run it may share a worker (vitest.config.mts): each run
 * starts from a fresh registry, as the commands' in-process runs do (test/helpers/cli.ts runInProcess).
 */
export async function runStack(stack: string, config: FlatConfig = stackConfig(stack), deployer?: OfflineDeployer): Promise<MockRun> {
    vi.resetModules();
    const { runProgramOffline } = await import("../../offline/runtime");
    return runProgramOffline({ stack, config, deployer });
}

/** The role assignment that gives whoever runs `pulumi up` cluster admin. */
export function deployerRoleAssignment(run: MockRun): CapturedResource {
    const found = ofType(run, "azure-native:authorization:RoleAssignment").filter((grant) => grant.name.endsWith("-deployer-cluster-admin"));
    if (found.length !== 1) {
        throw new Error(`expected one deployer role assignment, found ${found.length}`);
    }
    return found[0];
}

/** All resources of a type. */
export function ofType(run: MockRun, type: string): CapturedResource[] {
    return run.resources.filter((resource) => resource.type === type);
}

/** The single resource of a type, failing loudly when there is not exactly one. */
export function single(run: MockRun, type: string): CapturedResource {
    const found = ofType(run, type);
    if (found.length !== 1) {
        throw new Error(`expected exactly one ${type}, found ${found.length}`);
    }
    return found[0];
}

/** The key used in `parent` and `dependsOn` for a resource. */
export function keyOf(resource: CapturedResource): string {
    return resourceKey(resource.type, resource.name);
}
