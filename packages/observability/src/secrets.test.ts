// Every secret of the corpus, planted in every place content flows through the umbrella: the task,
// tool parameters, the prompt, the completion, log fields and messages, error messages, stacks and
// causes. None may reach a span attribute, a span event or a log line.
import { describe, expect, it } from 'vitest';
import { BENIGN_SAMPLES } from '../../obs-core/src/__fixtures__/benign-look-alikes';
import { SECRET_SAMPLES } from '../../obs-core/src/__fixtures__/secret-corpus';
import { setupForTest } from './test-signals';

/** Runs one observed workflow carrying `text` everywhere content can go; returns everything recorded. */
async function plant(text: string) {
  const t = await setupForTest();
  const cause = new Error(`cause: ${text}`);
  await t.obs
    .observeAgent({ agentId: 'a', task: `do this: ${text}` }, async () => {
      await t.obs.observeTool(
        { toolName: 'search', parameters: { q: text, nested: { note: text } } },
        async () => 'ok',
      );
      await t.obs.observeLLM({ provider: 'openai', model: 'gpt-4o', prompt: `prompt ${text}` }, async () => ({
        content: `completion ${text}`,
        usage: { prompt_tokens: 1, completion_tokens: 1 },
      }));
      t.obs.currentLogger()?.info({ note: text, [text]: 'as a key' }, `message ${text}`);
      throw new Error(`failed with ${text}`, { cause });
    })
    .catch(() => undefined);
  const spans = await t.spans();
  const recorded = JSON.stringify([
    spans.map((span) => ({
      name: span.name,
      attributes: span.attributes,
      events: span.events,
      status: span.status,
    })),
    t.logs(),
  ]);
  await t.obs.shutdown();
  return recorded;
}

describe('secrets planted everywhere content flows', () => {
  it(`none of ${SECRET_SAMPLES.length} secrets reaches a span or a log line`, async () => {
    const leaks: string[] = [];
    for (const sample of SECRET_SAMPLES) {
      const recorded = await plant(sample.text);
      for (const secret of sample.secrets)
        if (recorded.includes(secret)) leaks.push(`${sample.format}: ${secret}`);
    }
    const caught = SECRET_SAMPLES.length - new Set(leaks.map((leak) => leak.split(':')[0])).size;
    console.log(
      `end-to-end redaction: ${SECRET_SAMPLES.length} secrets × 8 places, ${caught} fully caught ` +
        `(${((100 * caught) / SECRET_SAMPLES.length).toFixed(1)}%)`,
    );
    expect(leaks).toEqual([]);
  }, 120_000);

  it(`keeps benign look-alikes (at most 2% changed) in ${BENIGN_SAMPLES.length} log fields`, async () => {
    const t = await setupForTest({ tracing: false, metrics: false });
    for (const sample of BENIGN_SAMPLES) t.obs.logger?.info({ note: sample.text }, 'benign');
    const notes = t.logs().map((line) => line.note);
    const changed = BENIGN_SAMPLES.filter((sample, i) => notes[i] !== sample.text);
    console.log(`end-to-end false positives: ${changed.length}/${BENIGN_SAMPLES.length}`);
    expect(changed.length / BENIGN_SAMPLES.length).toBeLessThanOrEqual(0.02);
    await t.obs.shutdown();
  });
});
