/** What `smtp-lab serve --classroom` prints for the instructor at start. */

export interface ClassroomStartInfo {
  /** The dashboard. */
  readonly instructorUrl: string;
  /** The link for the projector. */
  readonly joinUrl: string;
  readonly classDomain: string;
  /** Printed until the instructor has set a password; null after. */
  readonly setupSecret: string | null;
}

/** The lines for the console, ending with a newline. */
export function classroomBanner(info: ClassroomStartInfo): string {
  const setup =
    info.setupSecret === null
      ? `  sign in:    ${info.instructorUrl} with your instructor password\n`
      : `  first visit: open ${info.instructorUrl} and choose a password with this one-time setup secret:\n` +
        `              ${info.setupSecret}\n` +
        '              (it works once; a new start prints a new one until the password is set)\n';
  return (
    'Classroom mode\n' +
    `  instructor: ${info.instructorUrl}\n` +
    setup +
    `  join link:  ${info.joinUrl}  (students type a name; the code is on the dashboard)\n` +
    `  class mail: <name>@${info.classDomain}, delivered inside the sandbox only\n`
  );
}
