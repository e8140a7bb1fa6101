// An Anthropic client instance, observed: messages.create (plain and streamed) and messages.stream().
export type { AnthropicObserver } from './instrument';
export { instrumentAnthropic } from './instrument';
