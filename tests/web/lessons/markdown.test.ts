import { describe, expect, it } from 'vitest';
import { renderLessonMarkdown } from '../../../web/src/lessons/markdown.ts';

describe('lesson markdown', () => {
  it('shows raw HTML as text', () => {
    const html = renderLessonMarkdown('Hello <script>alert(1)</script> <img src=x onerror=alert(1)>');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;');
  });

  it('opens external links safely in a new tab, and links lessons inside the app', () => {
    const html = renderLessonMarkdown('[RFC](https://www.rfc-editor.org/rfc/rfc5321) and [STARTTLS](../12-starttls/) and [bad](javascript:alert(1))');
    expect(html).toContain('<a href="https://www.rfc-editor.org/rfc/rfc5321" target="_blank" rel="noopener noreferrer">RFC</a>');
    expect(html).toContain('<a href="#lesson/12-starttls" data-lesson="12-starttls">STARTTLS</a>');
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('[bad](javascript:alert(1))');
  });

  it('marks the client and server lines of code blocks and moves headings below the page headings', () => {
    const html = renderLessonMarkdown('# Title\n\n```\nC: NOOP\nS: 250 2.0.0 <OK>\n```\n');
    expect(html).toContain('<h3>Title</h3>');
    expect(html).toContain('<span class="wire-client">C: NOOP</span>\n<span class="wire-server">S: 250 2.0.0 &lt;OK&gt;</span>');
  });
});
