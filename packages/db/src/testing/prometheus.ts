// Reads a /metrics answer with a real Prometheus text-format parser (the npm
// package parse-prometheus-text-format), for the API's and the worker's metrics
// tests: families by name, and one sample's value by its labels.
// @ts-expect-error the package ships no type declarations
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

interface Sample { value?: string; labels?: Record<string, string>; buckets?: Record<string, string>; count?: string; sum?: string }
export interface MetricFamily { name: string; help: string; type: string; metrics: Sample[] }

export function parseMetrics(text: string): Map<string, MetricFamily> {
  const families = (parsePrometheusTextFormat as (t: string) => MetricFamily[])(text);
  return new Map(families.map((f) => [f.name, f]));
}

/** The sample of `name` whose labels include `labels`; throws if the family is missing. */
export function sampleOf(families: Map<string, MetricFamily>, name: string, labels: Record<string, string> = {}): Sample | undefined {
  const family = families.get(name);
  if (!family) throw new Error(`no metric family ${name}`);
  return family.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
}

/** A counter's or gauge's value (NaN when the sample is missing). */
export function valueOf(families: Map<string, MetricFamily>, name: string, labels: Record<string, string> = {}): number {
  return Number(sampleOf(families, name, labels)?.value ?? NaN);
}
