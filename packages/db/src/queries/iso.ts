/** Timestamps leave the data layer as ISO strings so cached and fresh results are byte-identical JSON. */
export const iso = (d: Date): string => d.toISOString();
export const isoOrNull = (d: Date | null): string | null => (d ? d.toISOString() : null);
