/** State the fixture middleware fills. */
export interface TestState {
  trail: string[];
  requestId?: string;
}
