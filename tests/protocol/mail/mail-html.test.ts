import { describe, expect, it } from 'vitest';
import { INLINE_IMAGES_BUDGET_CHARS, prepareMailHtml, REMOTE_IMAGE_PLACEHOLDER } from '../../../protocol/mail/mail-html.ts';

const inline = (contentId: string) => (contentId === 'logo@x' ? 'data:image/png;base64,AAAA' : null);

describe('prepareMailHtml', () => {
  it('shows cid: images from their parts, URL-encoded ids included, and leaves unknown ones alone', () => {
    const { html, inlineShown, remoteBlocked } = prepareMailHtml(`<img src="cid:logo@x"><img src='cid:logo%40x'><img src=cid:other@x>`, inline);
    expect(html).toBe('<img src="data:image/png;base64,AAAA"><img src="data:image/png;base64,AAAA"><img src=cid:other@x>');
    expect({ inlineShown, remoteBlocked }).toEqual({ inlineShown: 2, remoteBlocked: 0 });
  });

  it('replaces every remote image reference and counts it, whatever the quoting or the attribute', () => {
    const source = [
      '<img src="https://t.example/a.png">',
      "<img SRC='http://t.example/b.png'>",
      '<img src=//t.example/c.png>',
      '<table background="https://t.example/bg.png">',
      '<video poster="https://t.example/p.png">',
      '<img srcset="https://t.example/1x.png 1x, /local.png 2x">',
      '<div style="background-image: url(\'https://t.example/d.png\')">',
      '<style>p { background: url(https://t.example/e.png) no-repeat }</style>',
    ].join('');
    const { html, remoteBlocked } = prepareMailHtml(source, inline);
    expect(remoteBlocked).toBe(8);
    expect(html).not.toContain('t.example');
    expect(html).toContain(`<img src="${REMOTE_IMAGE_PLACEHOLDER}">`);
    expect(html).toContain('background-image: none');
    expect(html).toContain('background: none no-repeat');
  });

  it('keeps data: images and text that only looks like a link', () => {
    const source = '<img src="data:image/gif;base64,R0lGOD"><p>see https://example.com/page</p><a href="https://example.com">link</a>';
    expect(prepareMailHtml(source, inline)).toEqual({ html: source, remoteBlocked: 0, inlineShown: 0 });
  });

  it('looks each part up once and stops inlining past its budget, so one repeated part cannot blow the page up', () => {
    const big = `data:image/png;base64,${'A'.repeat(4 * 1024 * 1024)}`;
    let lookups = 0;
    const { html, inlineShown } = prepareMailHtml('<img src="cid:big@x">'.repeat(1000), () => {
      lookups += 1;
      return big;
    });
    expect(lookups).toBe(1);
    expect(inlineShown).toBe(Math.floor(INLINE_IMAGES_BUDGET_CHARS / big.length));
    expect(html.length).toBeLessThan(INLINE_IMAGES_BUDGET_CHARS + 100_000);
  });
});
