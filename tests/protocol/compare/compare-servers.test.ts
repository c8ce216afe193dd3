/** "Compare servers": one conversation replayed on every personality, aligned by step, differences explained. */
import { describe, expect, it } from 'vitest';
import { compareServers, MAX_COMPARED_LINES } from '../../../protocol/compare/compare-servers.ts';
import type { CompareRow } from '../../../protocol/compare/types.ts';
import { PERSONALITY_NAMES } from '../../../protocol/simulator/personalities/index.ts';

const rowOf = (rows: readonly CompareRow[], line: string): CompareRow => {
  const row = rows.find((candidate) => candidate.lines.at(-1) === line);
  if (row === undefined) throw new Error(`no row ends with ${line}`);
  return row;
};
const codeOf = (row: CompareRow, name: keyof CompareRow['cells']): number | string => {
  const cell = row.cells[name];
  return cell.kind === 'reply' ? cell.code : cell.kind;
};

describe('compareServers', () => {
  it('answers every personality, greeting first, one column each', async () => {
    const { personalities, rows } = await compareServers(['EHLO me.example', 'QUIT']);
    expect(personalities).toEqual(PERSONALITY_NAMES);
    expect(rows.map((row) => row.lines)).toEqual([[], ['EHLO me.example'], ['QUIT']]);
    for (const name of PERSONALITY_NAMES) expect(codeOf(rows[0]!, name)).toBe(220);
    const quit = rowOf(rows, 'QUIT').cells.postfix;
    expect(quit).toMatchObject({ kind: 'reply', code: 221, closed: true });
  });

  it('finds no difference in a conversation every server answers alike', async () => {
    const { rows } = await compareServers(['EHLO me.example', 'MAIL FROM:<a@example.com>', 'RCPT TO:<alice@lab.test>', 'RSET', 'QUIT']);
    expect(rows.filter((row) => row.differs)).toEqual([]);
    expect(rows.every((row) => row.explanation === null)).toBe(true);
  });

  it('marks HELP: 214 from smtp-server, 500 from Postfix, which departs from the SHOULD of RFC 5321 §4.1.1.8', async () => {
    const { rows } = await compareServers(['EHLO me.example', 'HELP']);
    const help = rowOf(rows, 'HELP');
    expect(help.differs).toBe(true);
    expect([codeOf(help, 'smtp-server'), codeOf(help, 'postfix')]).toEqual([214, 500]);
    expect(help.explanation).toMatchObject({ kind: 'help', rfc: 'RFC 5321 §4.1.1.8' });
    expect(help.explanation?.requirement).toContain('SHOULD');
    expect(help.explanation?.verdicts).toMatchObject({ 'smtp-server': 'meets', postfix: 'departs' });
  });

  it('marks MAIL before EHLO: refused with 503 or accepted, both allowed (RFC 5321 §4.1.4)', async () => {
    const { rows } = await compareServers(['MAIL FROM:<a@example.com>']);
    const mail = rowOf(rows, 'MAIL FROM:<a@example.com>');
    expect([codeOf(mail, 'smtp-server'), codeOf(mail, 'postfix')]).toEqual([503, 250]);
    expect(mail.explanation).toMatchObject({ kind: 'mail-before-hello', rfc: 'RFC 5321 §4.1.4' });
    expect(mail.explanation?.verdicts).toMatchObject({ 'smtp-server': 'meets', postfix: 'meets' });
  });

  it('marks DATA after MAIL with no RCPT: 554 from Postfix, 503 from smtp-server, both meet RFC 5321 §3.3', async () => {
    const { rows } = await compareServers(['EHLO me.example', 'MAIL FROM:<a@example.com>', 'DATA']);
    const data = rowOf(rows, 'DATA');
    expect([codeOf(data, 'smtp-server'), codeOf(data, 'postfix')]).toEqual([503, 554]);
    expect(data.explanation).toMatchObject({ kind: 'data-without-recipients', rfc: 'RFC 5321 §3.3' });
    expect(data.explanation?.verdicts).toMatchObject({ 'smtp-server': 'meets', postfix: 'meets' });
  });

  it('shows "connection closed" in the cells after a server hangs up, and stops once every server has', async () => {
    const { rows } = await compareServers(['EHLO me.example', 'MAIL FROM:<a@example.com>', 'DATA', 'Subject: hi', 'NOOP', 'QUIT', 'NOOP', 'NOOP']);
    const header = rowOf(rows, 'Subject: hi');
    expect(header.cells.postfix).toMatchObject({ kind: 'reply', code: 221, closed: true });
    expect(header.cells['smtp-server']).toMatchObject({ kind: 'reply', code: 500, closed: false });
    expect(header.explanation).toMatchObject({ kind: 'lines-after-refused-data' });
    expect(header.explanation?.verdicts).toMatchObject({ 'smtp-server': 'meets', postfix: 'departs' });
    // Later steps: Postfix is gone; the others, still alike, make no difference.
    const noop = rows[rows.indexOf(header) + 1]!;
    expect(noop.cells.postfix).toEqual({ kind: 'connection-closed' });
    expect(noop.differs).toBe(false);
    // After QUIT every server has closed: the NOOPs after it were sent nowhere.
    expect(rows.at(-1)?.lines).toEqual(['QUIT']);
  });

  it('keeps a message that every server reads as data in one step, and marks a single leading dot (RFC 5321 §4.5.2)', async () => {
    const message = ['Subject: dots', '', '.single', '..double', '.'];
    const { rows } = await compareServers(['EHLO me.example', 'MAIL FROM:<a@example.com>', 'RCPT TO:<alice@lab.test>', 'DATA', ...message]);
    const end = rowOf(rows, '.');
    expect(end.lines).toEqual(message);
    expect(end.differs).toBe(true);
    expect(end.cells.postfix).toMatchObject({ code: 250, stored: 'Subject: dots\r\n\r\nsingle\r\n.double\r\n' });
    expect(end.cells['smtp-server']).toMatchObject({ code: 250, stored: 'Subject: dots\r\n\r\n.single\r\n.double\r\n' });
    expect(end.explanation?.verdicts).toMatchObject({ 'smtp-server': 'departs', postfix: 'meets' });
  });

  it('falls back to the generic explanation, judging nobody, where the table has no entry', async () => {
    const { rows } = await compareServers(['EHLO me.example', 'STARTTLS']);
    const starttls = rowOf(rows, 'STARTTLS');
    expect(starttls.differs).toBe(true);
    expect(starttls.explanation?.kind).toBe('generic');
    expect(Object.values(starttls.explanation?.verdicts ?? {})).toEqual(PERSONALITY_NAMES.map(() => 'not-applicable'));
  });

  it('stays bounded on a huge, garbage conversation', async () => {
    const garbage = Array.from({ length: 5000 }, (_, index) => (index % 7 === 0 ? 'x'.repeat(5000) : `\u0000garbage ${index} <<>>:`));
    const { rows, linesLeftOut } = await compareServers(['EHLO me.example', ...garbage]);
    expect(linesLeftOut).toBe(5001 - MAX_COMPARED_LINES);
    expect(rows.length).toBeLessThanOrEqual(MAX_COMPARED_LINES + 1);
    // smtp-server closes on the tenth unknown command; Postfix keeps answering.
    expect(rows.some((row) => row.cells['smtp-server'].kind === 'connection-closed')).toBe(true);
  });

  it('compares only the servers asked for', async () => {
    const { personalities, rows } = await compareServers(['HELP'], { personalities: ['postfix', 'exim'] });
    expect(personalities).toEqual(['postfix', 'exim']);
    expect(Object.keys(rows[1]!.cells)).toEqual(['postfix', 'exim']);
  });
});
