import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildCourse, sourcesFromFiles } from '../../../protocol/lessons/index.ts';
import { DEFAULT_SANDBOX_CONFIG, type PersonalityName } from '../../../protocol/sandbox-config.ts';
import { PERSONALITIES } from '../../../protocol/simulator/personalities/index.ts';
import { CourseController } from '../../../web/src/lessons/course-controller.svelte.ts';
import { emptyProgress } from '../../../web/src/lessons/progress.ts';
import { LabSession } from '../../../web/src/session/lab-session.svelte.ts';
import {
  evidenceText,
  PERSONALITY_STORAGE_KEY,
  storedPersonality,
  withPersonality,
  type PersonalityMemory,
} from '../../../web/src/session/personality-choice.ts';

/** Sessions and controllers to dispose of after each test. */
const sessions: { dispose(): void }[] = [];
afterEach(() => {
  for (const session of sessions.splice(0)) session.dispose();
});

/** A memory that only keeps what it was told, so tests do not share the page's localStorage. */
function memory(initial: PersonalityName | null = null): PersonalityMemory & { saved: string[] } {
  const saved: string[] = [];
  return { saved, load: () => initial, save: (name) => saved.push(name) };
}

function session(personalityMemory: PersonalityMemory): LabSession {
  const created = new LabSession({ personalityMemory });
  sessions.push(created);
  return created;
}

/** The greeting's text, once the simulator has sent it. */
async function greeting(lab: LabSession): Promise<string> {
  await vi.waitFor(() => expect(lab.liveView.transcript.find((entry) => entry.from === 'server')).toBeDefined(), { timeout: 3000, interval: 5 });
  return lab.liveView.transcript.find((entry) => entry.from === 'server')!.text;
}

describe('withPersonality', () => {
  it('switches the personality and its lab host name, and keeps a host name the configuration chose', () => {
    expect(withPersonality(DEFAULT_SANDBOX_CONFIG, 'postfix')).toMatchObject({ personality: 'postfix', hostname: 'mx.lab.test' });
    expect(withPersonality(DEFAULT_SANDBOX_CONFIG, 'smtp-server')).toBe(DEFAULT_SANDBOX_CONFIG);
    const own = { ...DEFAULT_SANDBOX_CONFIG, hostname: 'mail.example.com' };
    expect(withPersonality(own, 'postfix').hostname).toBe('mail.example.com');
  });
});

describe('evidenceText', () => {
  it('names the server a verified personality was compared with, and labels a modelled one', () => {
    expect(evidenceText(PERSONALITIES.postfix)).toBe('verified against Postfix 3.7');
    expect(evidenceText({ ...PERSONALITIES.postfix, evidence: 'modelled-on-documentation' })).toBe('modelled on documentation, not verified against the server');
  });
});

describe('storedPersonality', () => {
  it('remembers a pick, ignores names it does not know, and survives a storage that refuses', () => {
    localStorage.removeItem(PERSONALITY_STORAGE_KEY);
    const kept = storedPersonality(localStorage);
    expect(kept.load()).toBeNull();
    kept.save('postfix');
    expect(storedPersonality(localStorage).load()).toBe('postfix');
    localStorage.setItem(PERSONALITY_STORAGE_KEY, 'sendmail');
    expect(kept.load()).toBeNull();
    localStorage.removeItem(PERSONALITY_STORAGE_KEY);

    const refusing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('quota');
      },
    } as unknown as Storage;
    expect(storedPersonality(refusing).load()).toBeNull();
    expect(() => storedPersonality(refusing).save('postfix')).not.toThrow();
  });
});

describe('LabSession and the personality', () => {
  it('starts a new simulated session answering like the picked personality, and remembers the pick', async () => {
    const kept = memory();
    const lab = session(kept);
    expect(lab.personality).toBe('smtp-server');
    expect(await greeting(lab)).toMatch(/^220 sandbox\.smtp-lab\.test ESMTP/);

    expect(lab.setPersonality('postfix')).toBe(true);
    expect(lab.personality).toBe('postfix');
    expect(kept.saved).toEqual(['postfix']);
    expect(await greeting(lab)).toBe('220 mx.lab.test ESMTP Postfix');
    // The model reads the conversation by the picked server too (predictions, explanations, next moves).
    expect(lab.snapshot.context.personality).toBe('postfix');
  });

  it('opens with the remembered personality', async () => {
    const lab = session(memory('postfix'));
    expect(lab.personality).toBe('postfix');
    expect(await greeting(lab)).toBe('220 mx.lab.test ESMTP Postfix');
    expect(lab.snapshot.context.personality).toBe('postfix');
  });

  it("keeps a lesson's personality while the lesson picks one, and the learner's otherwise", async () => {
    const kept = memory('postfix');
    const lab = session(kept);
    lab.setSimulatedSetup({ config: DEFAULT_SANDBOX_CONFIG, choosesPersonality: true });
    lab.newSession();
    expect(lab.personality).toBe('smtp-server');
    expect(lab.personalityFromLesson).toBe(true);
    expect(lab.setPersonality('postfix')).toBe(false);
    expect(kept.saved).toEqual([]);
    expect(await greeting(lab)).toMatch(/^220 sandbox\.smtp-lab\.test ESMTP/);

    lab.setSimulatedSetup({ config: { ...DEFAULT_SANDBOX_CONFIG, maxRecipients: 2 } });
    lab.newSession();
    expect(lab.personalityFromLesson).toBe(false);
    expect(lab.personality).toBe('postfix');
    expect(await greeting(lab)).toBe('220 mx.lab.test ESMTP Postfix');
  });
});

/** A lesson whose frontmatter sets `server`, as authors write it. */
const lessonFile = (id: string, server: string): string => `---
id: ${id}
title: ${id}
objective: Say hello.
mode: either
${server}
hints:
  - A client says who it is first.
  - Type EHLO a.example.
learned: Servers answer.
goal:
  reply: { to: EHLO, code: 250 }
---
Text.
`;

describe("a lesson's server.personality", () => {
  it('runs the lesson on that personality with its lab host name, shows it, and gives the learner back their pick after', async () => {
    const course = buildCourse(
      sourcesFromFiles({
        '/lessons/01-on-postfix/index.md': lessonFile('on-postfix', 'server:\n  personality: postfix'),
        '/lessons/01-on-postfix/solution.smtp': 'EHLO a.example\n',
        '/lessons/02-plain/index.md': lessonFile('plain', ''),
        '/lessons/02-plain/solution.smtp': 'EHLO a.example\n',
      }),
    );
    expect(course.problems).toEqual([]);
    const lab = session(memory('smtp-server'));
    const store = { load: () => Promise.resolve(emptyProgress()), save: () => Promise.resolve() };
    const controller = new CourseController(course, lab, store);
    sessions.push(controller);

    controller.open('on-postfix');
    expect(lab.personality).toBe('postfix');
    expect(lab.personalityFromLesson).toBe(true);
    expect(await greeting(lab)).toBe('220 mx.lab.test ESMTP Postfix');

    controller.open('plain');
    expect(lab.personality).toBe('smtp-server');
    expect(lab.personalityFromLesson).toBe(false);
    expect(await greeting(lab)).toMatch(/^220 sandbox\.smtp-lab\.test ESMTP/);
  });
});
