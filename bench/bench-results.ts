import type { BundleMeasurement } from './bundle-cost.js';
import type { LatencyMeasurement } from './pipeline-latency.js';
import type { RebuildMeasurement } from './rebuild-memory.js';
import type { PublishMeasurement } from './request-counts.js';
import type { WindowRenderMeasurement } from './window-render.js';

/** Everything one run measured. */
export interface BenchResults {
  readonly date: string;
  readonly node: string;
  readonly cpus: string;
  readonly publishes: PublishMeasurement[];
  readonly rebuild?: RebuildMeasurement;
  readonly windowRender: WindowRenderMeasurement;
  readonly latency: LatencyMeasurement[];
  readonly bundle: BundleMeasurement[];
  readonly targets: Record<string, { readonly target: string; readonly measured: string; readonly met: boolean }>;
}
