/**
 * The engine's `ignoreChanges`, for the paths this project uses (`a.b`, `a[0].b`): before diffing, each path in the
 * new inputs is reset to its value in the stored inputs, or deleted when the stored inputs lack it; a path that runs
 * through something only one side has is an error, and an array element is never created or removed
 * (pulumi sdk/go/common/resource/properties_path.go, PropertyPath.Reset; pkg/resource/deploy/step_generator.go,
 * processIgnoreChanges: "cannot ignore changes to the following properties because one or more elements of the path
 * are missing"). A model for tests, written from those semantics.
 */
export function applyIgnoreChanges(news: Record<string, unknown>, olds: Record<string, unknown>, paths: readonly string[]): Record<string, unknown> {
    const result = structuredClone(news);
    for (const path of paths) {
        const parts = [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((match) => (match[2] !== undefined ? Number(match[2]) : match[1]!));
        let oldValue: any = olds;
        let newValue: any = result;
        parts.forEach((part, index) => {
            const leaf = index === parts.length - 1;
            const inOld = oldValue !== undefined && oldValue !== null && (typeof part === "number" ? Array.isArray(oldValue) && part < oldValue.length : part in oldValue);
            const inNew = newValue !== undefined && newValue !== null && (typeof part === "number" ? Array.isArray(newValue) && part < newValue.length : part in newValue);
            if (typeof part === "number" && inOld !== inNew) throw new Error(`cannot ignore changes to ${path}: one or more elements of the path are missing`);
            if (leaf) {
                if (inOld) newValue[part] = structuredClone(oldValue[part]);
                else if (inNew) delete newValue[part];
                return;
            }
            if (inOld && !inNew) throw new Error(`cannot ignore changes to ${path}: one or more elements of the path are missing`);
            oldValue = inOld ? oldValue[part] : undefined;
            newValue = inNew ? newValue[part] : undefined;
        });
    }
    return result;
}
