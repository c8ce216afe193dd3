/**
 * What the DNS editor says about the zone it edits, so one editor serves both the learner's own
 * zone and the instructor's starting zone for the class (web/src/instructor/lab-world-text.ts).
 */
export interface EditorWording {
  readonly title: string;
  readonly intro: string;
  /** The reset button, and the question and button of its confirm. */
  readonly resetButton: string;
  readonly resetQuestion: string;
  readonly resetConfirm: string;
  /** For the polite live region once done. */
  readonly resetDone: string;
  readonly saved: (records: number) => string;
}

export const LEARNER_WORDING: EditorWording = {
  title: 'Lab world: DNS',
  intro: 'Your own copy of the lab internet\'s DNS. Edit a record, Save, then send a message and read its journey to see what changed.',
  resetButton: 'Reset to defaults…',
  resetQuestion: 'Reset the zone to the defaults? Your edits are lost.',
  resetConfirm: 'Reset zone',
  resetDone: 'The lab world is back to its starting zone.',
  saved: (records) => `Saved: the lab world now uses these ${records} records.`,
};
