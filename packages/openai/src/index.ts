// An OpenAI client instance, observed: chat completions (plain and streamed) and embeddings.
export type { OpenAIObserver } from './instrument';
export { instrumentOpenAI } from './instrument';
