/**
 * "Did you mean": the known name nearest to a slip, for unknown config keys and namespaces, command-line options
 * and commands.
 */

/** The nearest candidate to `word` (edit distance, a swap of neighbours counted once), or undefined when none is near. */
export function nearestName(word: string, candidates: readonly string[]): string | undefined {
    // One edit per three characters: `stak` -> `stack`, `port` -> `ports`, `aks-zerotrust` -> `aks-zero-trust`.
    const limit = Math.max(1, Math.floor(word.length / 3));
    let best: { candidate: string; distance: number } | undefined;
    for (const candidate of candidates) {
        // A prefix of three or more characters is an abbreviation: `--form` for `--format`.
        const abbreviates = word.length >= 3 && candidate.toLowerCase().startsWith(word.toLowerCase());
        const distance = abbreviates ? 1 : editDistance(word.toLowerCase(), candidate.toLowerCase());
        if (distance > 0 && distance <= limit && (!best || distance < best.distance)) best = { candidate, distance };
    }
    return best?.candidate;
}

/** Damerau-Levenshtein distance (optimal string alignment). */
function editDistance(a: string, b: string): number {
    const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            rows[i]![j] = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) rows[i]![j] = Math.min(rows[i]![j]!, rows[i - 2]![j - 2]! + 1);
        }
    }
    return rows[a.length]![b.length]!;
}
