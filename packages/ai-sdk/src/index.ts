// Vercel AI SDK models and tools, observed: every model call (generateText, streamText,
// generateObject, streamObject, embed) and every tool execution.
export type { AiSdkObserver, InstrumentModelOptions } from './instrument';
export { instrumentModel, instrumentTools } from './instrument';
