/** The outcome of an operation: the `status` metric label, span attribute and log field. */
export const STATUS = { success: 'success', error: 'error' } as const;

/** A value of {@link STATUS}. */
export type Status = (typeof STATUS)[keyof typeof STATUS];
