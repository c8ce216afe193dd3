/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { fetchLiveMessage, type LiveAttachment } from '../../../web/src/live/live-message.ts';
import type { MessageAttachment } from '../../../web/src/mail/parse-message.ts';
import { rasterImageType } from '../../../protocol/mail/raster-image.ts';
import { liveAttachmentViews, localAttachmentViews, previewCandidates, PREVIEW_LIMIT_BYTES } from '../../../web/src/visualizer/mailbox/attachment-views.ts';

const bytes = (...values: number[]) => new Uint8Array(values);
const text = (value: string) => new TextEncoder().encode(value);
const PNG = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13);
const WEBP = new Uint8Array([...text('RIFF'), 1, 2, 3, 4, ...text('WEBPVP8 ')]);
const HTML = text('<html><script>document.title = "pwned"</script></html>');
const SVG = text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');

function attachment(filename: string, mimeType: string, content: Uint8Array, disposition: string | null = 'attachment'): MessageAttachment {
  return { filename, mimeType, disposition, contentId: null, size: content.byteLength, content };
}

/** Records the blobs it was given and names them blob:1, blob:2, … */
function blobRecorder() {
  const blobs: Blob[] = [];
  const makeUrl = (blob: Blob) => {
    blobs.push(blob);
    return `blob:${blobs.length}`;
  };
  return { blobs, makeUrl };
}

describe('rasterImageType', () => {
  it.each([
    ['PNG', PNG, 'image/png'],
    ['JPEG', bytes(0xff, 0xd8, 0xff, 0xe0), 'image/jpeg'],
    ['GIF87a', text('GIF87a....'), 'image/gif'],
    ['GIF89a', text('GIF89a....'), 'image/gif'],
    ['WebP', WEBP, 'image/webp'],
    ['a RIFF that is not WebP (WAV)', new Uint8Array([...text('RIFF'), 1, 2, 3, 4, ...text('WAVE')]), null],
    ['HTML', HTML, null],
    ['SVG', SVG, null],
    ['a truncated PNG signature', PNG.subarray(0, 5), null],
    ['nothing', bytes(), null],
  ])('reads %s from the bytes', (_name, content, expected) => {
    expect(rasterImageType(content)).toBe(expected);
  });
});

describe('attachments parsed in the page (simulated mode)', () => {
  it('download as application/octet-stream blobs and preview only what the bytes say is a raster image', async () => {
    const { blobs, makeUrl } = blobRecorder();
    const views = localAttachmentViews(
      [
        attachment('invoice.html', 'text/html', HTML),
        attachment('logo.svg', 'image/svg+xml', SVG),
        attachment('photo.png', 'image/png', PNG, 'inline'),
        attachment('fake.png', 'image/png', HTML),
        attachment('mislabelled.bin', 'text/html', PNG),
      ],
      makeUrl,
    );
    expect(views.map((view) => [view.filename, view.href !== null, view.previewUrl !== null, view.inline])).toEqual([
      ['invoice.html', true, false, false],
      ['logo.svg', true, false, false],
      ['photo.png', true, true, true],
      ['fake.png', true, false, false],
      ['mislabelled.bin', true, true, false],
    ]);
    // Five downloads, two previews; every download blob is inert, every preview typed by its bytes.
    expect(blobs.map((blob) => blob.type)).toEqual([
      'application/octet-stream',
      'application/octet-stream',
      'application/octet-stream',
      'image/png',
      'application/octet-stream',
      'application/octet-stream',
      'image/png',
    ]);
    expect(await blobs[0]?.text()).toBe(new TextDecoder().decode(HTML));
  });

  it('skip previews of images over the limit and make no links without blob URLs', () => {
    const big = new Uint8Array(PREVIEW_LIMIT_BYTES + 1);
    big.set(PNG);
    const { makeUrl } = blobRecorder();
    expect(localAttachmentViews([attachment('big.png', 'image/png', big)], makeUrl)[0]?.previewUrl).toBeNull();
    expect(localAttachmentViews([attachment('photo.png', 'image/png', PNG)], null)[0]).toMatchObject({ href: null, previewUrl: null });
  });
});

describe("a live message's attachments", () => {
  const served: LiveAttachment[] = [
    { index: 0, filename: 'invoice.html', contentType: 'text/html', size: HTML.byteLength, contentId: null, url: '/api/messages/7/attachments/0' },
    { index: 1, filename: null, contentType: 'image/png', size: PNG.byteLength, contentId: 'logo@x', url: '/api/messages/7/attachments/1' },
    { index: 2, filename: 'fake.png', contentType: 'image/png', size: HTML.byteLength, contentId: null, url: '/api/messages/7/attachments/2' },
  ];

  it("link to the server's download URL and preview only fetched bytes that are a raster image", () => {
    const { blobs, makeUrl } = blobRecorder();
    const fetched = new Map([[1, PNG], [2, HTML]]);
    const views = liveAttachmentViews(served, fetched, makeUrl);
    expect(views).toEqual([
      { filename: 'invoice.html', mimeType: 'text/html', size: HTML.byteLength, inline: false, href: '/api/messages/7/attachments/0', previewUrl: null },
      { filename: 'attachment-2', mimeType: 'image/png', size: PNG.byteLength, inline: true, href: '/api/messages/7/attachments/1', previewUrl: 'blob:1' },
      { filename: 'fake.png', mimeType: 'image/png', size: HTML.byteLength, inline: false, href: '/api/messages/7/attachments/2', previewUrl: null },
    ]);
    expect(blobs.map((blob) => blob.type)).toEqual(['image/png']);
    // Nothing fetched yet: no previews.
    expect(liveAttachmentViews(served, new Map(), makeUrl).map((view) => view.previewUrl)).toEqual([null, null, null]);
  });

  it('fetch for a preview only what is declared an image and small enough', () => {
    const big = { ...served[1]!, index: 3, size: PREVIEW_LIMIT_BYTES + 1 };
    expect(previewCandidates([...served, big]).map((attachment) => attachment.index)).toEqual([1, 2]);
  });

  it('come from the API with the message, keeping only entries that link to our own routes', async () => {
    const body = {
      subject: 'Invoice',
      date: null,
      headers: [{ key: 'Subject', value: 'Invoice' }, { key: 3 }],
      htmlUrl: 'https://evil.example/x',
      rawDownloadUrl: '/api/messages/7/raw?download=1',
      bareCr: true,
      attachments: [
        served[0],
        { ...served[1], url: 'javascript:alert(1)' },
        { ...served[1], url: 'https://evil.example/api/messages/7/attachments/1' },
        { ...served[1], size: '9' },
        served[1],
      ],
    };
    const message = await fetchLiveMessage('/api/messages/7', async (input: string) => {
      expect(input).toBe('/api/messages/7');
      return new Response(JSON.stringify(body), { status: 200 });
    });
    expect(message.attachments).toEqual([served[0], served[1]]);
    expect(message).toMatchObject({ subject: 'Invoice', date: null, htmlUrl: null, rawDownloadUrl: '/api/messages/7/raw?download=1', bareCr: true, headers: [{ name: 'Subject', value: 'Invoice' }] });
    await expect(fetchLiveMessage('/api/messages/8', async () => new Response('{}', { status: 404 }))).rejects.toThrow('answered 404');
  });
});
