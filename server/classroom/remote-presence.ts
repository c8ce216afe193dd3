/**
 * Who is connected to the other processes of the class: each process's last student.presence
 * per student (connections and live sessions exist only where the sockets are, and so do the
 * dashboards watching a student). The live hub adds them to its own to build roster rows; a
 * process gone is forgotten as a whole.
 */
import type { PresenceEvent } from '../events/class-event.ts';
import type { LiveSessionJson } from './classroom-types.ts';

interface Presence {
  readonly connections: number;
  readonly sessions: readonly LiveSessionJson[];
  readonly watched: boolean;
}

export class RemotePresence {
  /** Process id → student id → that process's presence of the student. */
  readonly #byProcess = new Map<string, Map<string, Presence>>();

  /** Records a process's presence of a student (none left: forgotten). */
  set(event: PresenceEvent): void {
    const students = this.#byProcess.get(event.process) ?? new Map<string, Presence>();
    if (event.connections === 0 && event.sessions.length === 0 && !event.watched) students.delete(event.studentId);
    else students.set(event.studentId, { connections: event.connections, sessions: event.sessions, watched: event.watched });
    if (students.size === 0) this.#byProcess.delete(event.process);
    else this.#byProcess.set(event.process, students);
  }

  /** Forgets every process not in `alive`; returns the students whose rows changed. */
  retainOnly(alive: readonly string[]): string[] {
    const keep = new Set(alive);
    const changed: string[] = [];
    for (const [process, students] of this.#byProcess) {
      if (keep.has(process)) continue;
      changed.push(...students.keys());
      this.#byProcess.delete(process);
    }
    return [...new Set(changed)];
  }

  /** Forgets one student everywhere (removed from the class). */
  forgetStudent(studentId: string): void {
    for (const [process, students] of this.#byProcess) {
      students.delete(studentId);
      if (students.size === 0) this.#byProcess.delete(process);
    }
  }

  /** Forgets everything (after a resync every process sends its presence again). */
  clear(): void {
    this.#byProcess.clear();
  }

  get isEmpty(): boolean {
    return this.#byProcess.size === 0;
  }

  connections(studentId: string): number {
    let sum = 0;
    for (const students of this.#byProcess.values()) sum += students.get(studentId)?.connections ?? 0;
    return sum;
  }

  /** Whether a dashboard in another process watches the student. */
  watched(studentId: string): boolean {
    for (const students of this.#byProcess.values()) if (students.get(studentId)?.watched) return true;
    return false;
  }

  sessions(studentId: string): LiveSessionJson[] {
    return [...this.#byProcess.values()].flatMap((students) => students.get(studentId)?.sessions ?? []);
  }
}
