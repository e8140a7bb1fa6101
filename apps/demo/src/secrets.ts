/**
 * Fake credentials planted in the demo's tasks, tool parameters and prompts,
 * the way real ones leak into agent inputs. None may appear in a log line or a
 * span attribute: the end-to-end test checks every one.
 */
export const PLANTED_SECRETS = {
  openAiKey: 'sk-proj-DEMOonlyQ2mZt7LwR8yKc3VnP6sDh1JgA5e4f9X',
  awsAccessKey: 'AKIADEMO7EXAMPLE2QZX',
  bearerToken: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZW1vLXVzZXIifQ.ZGVtby1zaWduYXR1cmUtb25seQ',
  password: 'demo-Pa55word-not-real',
} as const;
