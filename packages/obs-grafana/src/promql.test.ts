import { substituteGrafanaMacros } from '@genxai/test-utils';
import { parser } from '@prometheus-io/lezer-promql';
import { describe, expect, it } from 'vitest';
import { panelExpressions, ruleExpressions, variableSelectors } from './__fixtures__/expressions';
import { buildAlertRules } from './alerts';
import { buildAgentDashboard, buildOverviewDashboard } from './dashboard';
import { count, histogramQuantile, maxBy, ne, ratioOrZero, series, sumBy, topk } from './promql';

/** The syntax errors lezer-promql finds in `expr`, as `offset: text` strings. */
function syntaxErrors(expr: string): string[] {
  const errors: string[] = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError)
        errors.push(`${node.from}: ${JSON.stringify(expr.slice(node.from, node.from + 20))}`);
    },
  });
  return errors;
}

describe('PromQL syntax (lezer-promql)', () => {
  it('finds errors, so a clean parse means something', () => {
    expect(syntaxErrors('sum by (le) (rate(foo[5m])')).not.toEqual([]);
    expect(syntaxErrors('rate(foo[$__rate_interval])')).not.toEqual([]);
    expect(syntaxErrors(substituteGrafanaMacros('rate(foo[$__rate_interval])'))).toEqual([]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a template literal
    expect(substituteGrafanaMacros('x{a=~"$agent_id"}[${__range}]')).toBe('x{a=~".*"}[5m]');
  });

  const dashboards = [buildOverviewDashboard(), buildAgentDashboard()];
  const all = [
    ...dashboards.flatMap((dashboard) =>
      [...panelExpressions(dashboard), ...variableSelectors(dashboard)].map(({ where, expr }) => ({
        where: `${dashboard.uid}: ${where}`,
        expr,
      })),
    ),
    ...ruleExpressions(buildAlertRules()),
    ...ruleExpressions(buildAlertRules({ selector: '' })),
  ];
  it.each(all.map((e) => [e.where, e.expr]))('%s parses', (_where, expr) => {
    expect(syntaxErrors(substituteGrafanaMacros(expr))).toEqual([]);
  });
});

describe('PromQL helpers', () => {
  it('build selectors, sums and quantiles', () => {
    expect(series('m')).toBe('m');
    expect(series('m', '', 'a="b",', ' c=~"d" ')).toBe('m{a="b", c=~"d"}');
    expect(sumBy([], 'x')).toBe('sum(x)');
    expect(sumBy(['a', 'b'], 'x')).toBe('sum by (a, b) (x)');
    expect(histogramQuantile(0.9, 'h_bucket{a="b"}', '5m', ['a'])).toBe(
      'histogram_quantile(0.9, sum by (a, le) (rate(h_bucket{a="b"}[5m])))',
    );
    expect(count({ name: 'h' })).toBe('h_count');
    expect(series('m', ne('a', ''))).toBe('m{a!=""}');
    expect(maxBy([], 'x')).toBe('max(x)');
    expect(maxBy(['a'], 'x')).toBe('max by (a) (x)');
    expect(topk(3, 'x')).toBe('topk(3, x)');
    expect(ratioOrZero('p', 'w')).toBe('(\n  p\nor\n  0 * w\n)\n/\nw');
  });
});
