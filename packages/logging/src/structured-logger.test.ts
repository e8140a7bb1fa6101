import { REDACTED } from '@genxai/obs-core';
import { describe, expect, it } from 'vitest';
import { StructuredLogger } from './structured-logger';
import { captureLogger, repeatedKeys } from './test-helpers';

describe('StructuredLogger', () => {
  it('logs the plan example in the plan shape', () => {
    const { logger, lines } = captureLogger({ level: 'debug' });
    const log = new StructuredLogger('genxai.agent', { logger });
    log.addContext({ agent_id: 'agent-7', agent_role: 'researcher' });
    log.info('Starting agent execution', { task: 'summarise the paper' });
    log.debug('Building prompt', { prompt_length: 1832 });
    log.info('Agent execution completed', { duration: 2.5, tokens_used: 512, status: 'success' });
    log.warning('Slow tool', { tool: 'search' });
    log.error('Tool failed', { err: new Error('timeout') });
    log.critical('Giving up');
    const written = lines();
    expect(written.map((line) => [line.level, line.message])).toEqual([
      ['INFO', 'Starting agent execution'],
      ['DEBUG', 'Building prompt'],
      ['INFO', 'Agent execution completed'],
      ['WARNING', 'Slow tool'],
      ['ERROR', 'Tool failed'],
      ['CRITICAL', 'Giving up'],
    ]);
    for (const line of written)
      expect(line).toMatchObject({ name: 'genxai.agent', agent_id: 'agent-7', agent_role: 'researcher' });
    expect(written[0]).toMatchObject({ task: 'summarise the paper' });
    expect(written[2]).toMatchObject({ duration: 2.5, tokens_used: 512, status: 'success' });
    expect(written[4]?.err).toMatchObject({ type: 'Error', message: 'timeout' });
  });

  it('replaces a context key instead of writing it twice, and redacts context', () => {
    const { logger, raw } = captureLogger();
    const log = new StructuredLogger('n', { logger });
    log.addContext({ agent_id: 'a', api_key: 'k' }).addContext({ agent_id: 'b' });
    log.info('once');
    expect(raw[0]?.match(/"agent_id"/g)).toHaveLength(1);
    expect(JSON.parse(raw[0] ?? '')).toMatchObject({ agent_id: 'b', api_key: REDACTED });
    expect(log.context).toEqual({ agent_id: 'b', api_key: 'k' });
  });

  it('gives children their own context without touching the parent or siblings', () => {
    const { logger, lines } = captureLogger();
    const workflow = new StructuredLogger('wf', { logger }).addContext({ workflow_id: 'w1' });
    const first = workflow.child({ agent_id: 'first' });
    const second = workflow.child({ agent_id: 'second' });
    first.addContext({ step: 1 });
    first.info('a');
    second.info('b');
    workflow.info('c');
    const [a, b, c] = lines();
    expect(a).toMatchObject({ name: 'wf', workflow_id: 'w1', agent_id: 'first', step: 1 });
    expect(b).toMatchObject({ name: 'wf', workflow_id: 'w1', agent_id: 'second' });
    expect(b).not.toHaveProperty('step');
    expect(c).not.toHaveProperty('agent_id');
  });

  it('changes level at runtime and keeps it across addContext', () => {
    const { logger, lines } = captureLogger({ level: 'info' });
    const log = new StructuredLogger('n', { logger });
    log.debug('hidden');
    log.setLevel('debug');
    log.addContext({ x: 1 });
    log.debug('shown');
    expect(log.level).toBe('debug');
    expect(lines().map((line) => line.message)).toEqual(['shown']);
  });

  it('binds its name as logger when the wrapped logger already has a name', () => {
    const { logger, raw, lines } = captureLogger({ name: 'app' });
    const log = new StructuredLogger('genxai.agent', { logger }).addContext({ agent_id: 'a' });
    log.info('once', { level: 'hacked', message: 'shadow' });
    expect(lines()[0]).toMatchObject({
      name: 'app',
      logger: 'genxai.agent',
      level: 'INFO',
      message: 'once',
      agent_id: 'a',
      'fields.level': 'hacked',
      'fields.message': 'shadow',
    });
    expect(repeatedKeys(raw[0] ?? '')).toEqual([]);
    expect(raw[0]?.match(/"name":/g)).toHaveLength(1);
  });

  it('binds its name as name when the wrapped logger has none', () => {
    const { logger, raw, lines } = captureLogger();
    new StructuredLogger('genxai.agent', { logger }).info('x');
    expect(lines()[0]).toMatchObject({ name: 'genxai.agent' });
    expect(lines()[0]).not.toHaveProperty('logger');
    expect(repeatedKeys(raw[0] ?? '')).toEqual([]);
  });

  it('builds its own logger from options', () => {
    expect(new StructuredLogger('own', { level: 'error', env: {} }).level).toBe('error');
    expect(() => new StructuredLogger('bad', { level: 'chatty' })).toThrowError(/Invalid level: "chatty"/);
  });
});
