/**
 * Lesson text to HTML with markdown-it, at build time (web/vite-plugin-lessons.ts), so the
 * browser gets HTML and never loads markdown-it. Raw HTML in a lesson is shown as text
 * (`html: false`), so the rendered markup is only what markdown itself produces. External
 * links open in a new tab without access to this page; links to other lessons
 * (`../12-starttls/`) become in-app links carrying the lesson's folder in `data-lesson`. Code
 * blocks mark `C:` and `S:` lines so the client's and the server's sides read as in the
 * transcript. Headings move two levels down, below the page's own headings.
 */
import MarkdownIt from 'markdown-it';

const LESSON_LINK = /^\.\.\/(\d+-[a-z0-9]+(?:-[a-z0-9]+)*)\/?$/;

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

/** Lesson headings sit under the page's h1 and the course panel's h2: `#` becomes h3. */
const HEADING_SHIFT = 2;

md.core.ruler.push('shift_headings', (state) => {
  for (const token of state.tokens) {
    if (token.type !== 'heading_open' && token.type !== 'heading_close') continue;
    token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + HEADING_SHIFT)}`;
  }
});

md.renderer.rules.link_open = (tokens, index, options, _env, self) => {
  const token = tokens[index];
  if (token === undefined) return '';
  const href = String(token.attrGet('href') ?? '');
  const lesson = LESSON_LINK.exec(href)?.[1];
  if (lesson !== undefined) {
    token.attrSet('href', `#lesson/${lesson}`);
    token.attrSet('data-lesson', lesson);
  } else if (/^https?:\/\//i.test(href)) {
    token.attrSet('target', '_blank');
    token.attrSet('rel', 'noopener noreferrer');
  }
  return self.renderToken(tokens, index, options);
};

md.renderer.rules.fence = (tokens, index) => {
  const token = tokens[index];
  if (token === undefined) return '';
  const lines = token.content.replace(/\n$/, '').split('\n');
  const body = lines
    .map((line) => {
      const side = /^C:/.test(line) ? 'client' : /^S:/.test(line) ? 'server' : null;
      const text = md.utils.escapeHtml(line);
      return side === null ? text : `<span class="wire-${side}">${text}</span>`;
    })
    .join('\n');
  return `<pre class="lesson-code"><code>${body}</code></pre>\n`;
};

/** Renders lesson markdown to safe HTML (no raw HTML passes through). */
export function renderLessonMarkdown(text: string): string {
  return md.render(text);
}

/** Renders one line of markdown (a hint, an objective) without a wrapping paragraph. */
export function renderInlineMarkdown(text: string): string {
  return md.renderInline(text);
}
