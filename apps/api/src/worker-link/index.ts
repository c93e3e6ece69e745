// @wakeplan/api/worker-link: the API's HTTP link to the worker — the doorbell
// and the /health probe — for the CLI's `notify --ring`, `replay --ring` and
// `status`, which reach the worker the same way.
export { ringDoorbell } from './doorbell.ts';
export { probeWorkerHealth, workerBaseUrl } from './worker-health.ts';
