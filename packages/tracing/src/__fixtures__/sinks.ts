import type { Tracing } from '../setup';

/** The workflow of the plan, run through the helpers: workflow → node → agent → llm + tool. */
export async function runSampleWorkflow(tracing: Tracing) {
  return tracing.withWorkflowSpan({ workflowId: 'wf-1' }, () =>
    tracing.withNodeSpan({ workflowId: 'wf-1', nodeId: 'answer', type: 'agent' }, () =>
      tracing.withAgentSpan(
        { agentId: 'agent-7', role: 'researcher', task: 'find flights, api_key=abc123' },
        async () => {
          const answer = await tracing.withLlmSpan(
            { provider: 'openai', model: 'gpt-4o', prompt: 'Hi' },
            async () => ({
              content: 'Hello!',
              usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
            }),
          );
          await tracing.withToolSpan({ toolName: 'search', parameters: { q: 'LIS' } }, async () => 'ok');
          return answer.content;
        },
      ),
    ),
  );
}
