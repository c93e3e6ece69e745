// Reads a /metrics answer with a real Prometheus text-format parser (the npm
// package parse-prometheus-text-format), for the API's and the worker's metrics
// tests. The package folds a histogram with labels into one unlabelled sample
// (a known limitation), so histogram series are read from a second parse of the
// same text with their TYPE lines declared `untyped`: each `_bucket`, `_sum` and
// `_count` line then comes back with its own labels.
// @ts-expect-error the package ships no type declarations
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

interface Sample { value?: string; labels?: Record<string, string> }
interface Family { name: string; help: string; type: string; metrics: Sample[] }

export interface ParsedMetrics {
  /** Family name → its TYPE (COUNTER, GAUGE, HISTOGRAM, …). */
  types: Map<string, string>;
  /** Series name (`x`, `x_bucket`, `x_sum`, `x_count`) → every sample with its labels. */
  series: Map<string, Sample[]>;
}

const parse = parsePrometheusTextFormat as (text: string) => Family[];

export function parseMetrics(text: string): ParsedMetrics {
  const types = new Map(parse(text).map((f) => [f.name, f.type]));
  const series = new Map<string, Sample[]>();
  for (const f of parse(text.replace(/^# TYPE (\S+) (histogram|summary)$/gm, '# TYPE $1 untyped'))) {
    series.set(f.name, [...(series.get(f.name) ?? []), ...f.metrics]);
  }
  return { types, series };
}

const matches = (s: Sample, labels: Record<string, string>) => Object.entries(labels).every(([k, v]) => s.labels?.[k] === v);

/** A counter's or gauge's value for the sample whose labels include `labels` (NaN when there is none). */
export function valueOf(m: ParsedMetrics, name: string, labels: Record<string, string> = {}): number {
  if (!m.types.has(name)) throw new Error(`no metric family ${name}`);
  return Number(m.series.get(name)?.find((s) => matches(s, labels))?.value ?? NaN);
}

/** A histogram's count, sum and cumulative buckets (by `le`) for one label set. */
export function histogramOf(m: ParsedMetrics, name: string, labels: Record<string, string> = {}): { count: number; sum: number; buckets: Record<string, number> } {
  if (m.types.get(name) !== 'HISTOGRAM') throw new Error(`${name} is not a histogram`);
  const one = (suffix: string) => Number(m.series.get(`${name}_${suffix}`)?.find((s) => matches(s, labels))?.value ?? NaN);
  const buckets: Record<string, number> = {};
  for (const s of m.series.get(`${name}_bucket`) ?? []) if (matches(s, labels)) buckets[s.labels!.le!] = Number(s.value);
  return { count: one('count'), sum: one('sum'), buckets };
}
