/** What a one-config run tells the many-config run: its §9 document and its job summary section. */
export interface ConfigOutcome {
  document: Record<string, unknown>;
  summary: () => string;
}
export type Tell = (outcome: ConfigOutcome) => void;
