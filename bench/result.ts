/** The shape of every benchmark figure in `bench/results.json` (see bench/run.ts). */
export interface BenchResult {
  name: string;
  unit: string;
  value: number;
  reference: { tool: string; value: number };
  /** `value / reference.value`. */
  ratio: number;
  higherIsBetter: boolean;
}
