// An Anthropic client instance, observed: messages (plain and streamed).
export type { AnthropicObserver } from './instrument';
export { instrumentAnthropic } from './instrument';
