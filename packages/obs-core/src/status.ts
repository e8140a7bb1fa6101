/**
 * The outcome of an operation: the `status` metric label, span attribute and log field.
 * `cancelled` is a streamed LLM response that the consumer stopped reading (broke out of its loop,
 * or aborted): neither a success nor an error, so it counts in neither error rate.
 */
export const STATUS = { success: 'success', error: 'error', cancelled: 'cancelled' } as const;

/** A value of {@link STATUS}. */
export type Status = (typeof STATUS)[keyof typeof STATUS];
