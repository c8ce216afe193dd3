/**
 * Building blocks of the multipart/mixed test messages (boundary "b1") that real clients and
 * the browser tests send.
 */

/** The message's head, up to its text part's Content-Type line. */
export function mixedHead(from: string, to: string, subject: string): string[] {
  return [
    `From: ${from}`,
    `To: ${to}`,
    `Subject: ${subject}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
  ];
}

/** One attachment part, its content in base64 lines of at most 76 characters. */
export function attachmentPart(name: string, type: string, content: Buffer | string): string[] {
  return [
    '--b1',
    `Content-Type: ${type}; name="${name}"`,
    `Content-Disposition: attachment; filename="${name}"`,
    'Content-Transfer-Encoding: base64',
    '',
    ...(Buffer.from(content).toString('base64').match(/.{1,76}/g) ?? []),
  ];
}
