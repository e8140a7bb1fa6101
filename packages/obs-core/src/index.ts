export { errorType } from './error-type';
export { describeValue, GenxaiObservabilityError, invalidOption } from './errors';
export type { WarningHandler, WarnOnce } from './warnings';
export { createWarnOnce, processWarningHandler } from './warnings';
