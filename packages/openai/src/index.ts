// An OpenAI client instance, observed: chat completions and responses (plain and streamed) and embeddings.
export type { OpenAIObserver } from './instrument';
export { instrumentOpenAI } from './instrument';
