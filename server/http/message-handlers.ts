/** The mailbox API's handlers: list (paged, searched), read, raw source, sandboxed HTML, attachments, delete. */
import type { MessageStore } from '../storage/message-store.ts';
import type { AttachmentInfo, ParsedMessage } from '../storage/message-types.ts';
import type { ApiContext, ApiHandler } from './api-route.ts';
import { parseAttachmentIndex, parseMessageId, parseMessageListQuery } from './api-params.ts';
import { capturedHtml, remoteImagesIn } from './captured-html.ts';
import { contentDisposition, sendBytes, sendError, sendJson } from './respond.ts';
import { CAPTURED_HTML_CSP, CAPTURED_HTML_FRAME_OPTIONS, DOWNLOAD_CSP } from './security-headers.ts';

/** A parsed message as the API sends it: the HTML is not inline but behind `htmlUrl`. */
export type MessageResource = Omit<ParsedMessage, 'html' | 'attachments'> & {
  readonly htmlUrl: string | null;
  /** Remote images the HTML view replaces with a placeholder (never loaded). */
  readonly remoteImagesBlocked: number;
  readonly rawUrl: string;
  /** The raw message as a download (`Content-Disposition: attachment`). */
  readonly rawDownloadUrl: string;
  readonly attachments: readonly (AttachmentInfo & { readonly url: string })[];
};

export type MessageHandlers = Readonly<Record<'list' | 'deleteAll' | 'get' | 'delete' | 'raw' | 'html' | 'attachment', ApiHandler>>;

/** The handlers of the /api/messages routes (api-routes.ts maps them to paths). */
export function messageHandlers(messages: MessageStore): MessageHandlers {
  return {
    list: async ({ res, namespace, query }) => {
      const page = parseMessageListQuery(query);
      if (!page.ok) return sendError(res, 400, 'bad_request', page.message);
      const { limit, offset, query: q } = page.value;
      sendJson(res, 200, { ...(await messages.list(namespace, page.value)), limit, offset, q });
    },
    deleteAll: async ({ res, namespace }) => {
      sendJson(res, 200, { deleted: await messages.deleteAll(namespace) });
    },
    get: (context) =>
      withMessageId(context, async (id) => {
        const message = await messages.get(context.namespace, id);
        if (message === null) return messageNotFound(context, id);
        sendJson(context.res, 200, toResource(message));
      }),
    delete: (context) =>
      withMessageId(context, async (id) => {
        if (!(await messages.delete(context.namespace, id))) return messageNotFound(context, id);
        sendJson(context.res, 200, { deleted: 1 });
      }),
    raw: (context) =>
      withMessageId(context, async (id) => {
        const message = await messages.summary(context.namespace, id);
        const raw = await messages.raw(context.namespace, id);
        if (message === null || raw === null) return messageNotFound(context, id);
        const filename = `${message.queueId.replace(/[^A-Za-z0-9._-]/g, '_')}.eml`;
        const disposition = context.query.get('download') === '1' ? 'attachment' : 'inline';
        sendBytes(context.res, 200, 'message/rfc822', raw, {
          'Content-Disposition': `${disposition}; filename="${filename}"`,
          'Content-Security-Policy': DOWNLOAD_CSP,
          'Cache-Control': 'no-store',
        });
      }),
    html: (context) =>
      withMessageId(context, async (id) => {
        const message = await messages.get(context.namespace, id);
        if (message === null) return messageNotFound(context, id);
        if (message.html === null) {
          return sendError(context.res, 404, 'not_found', `Message ${id} has no HTML part.`);
        }
        const { html } = await capturedHtml(messages, context.namespace, { ...message, html: message.html });
        // The only response we let a page frame: the mailbox shows it in its sandboxed iframe.
        sendBytes(context.res, 200, 'text/html; charset=utf-8', Buffer.from(html, 'utf8'), {
          'Content-Security-Policy': CAPTURED_HTML_CSP,
          'X-Frame-Options': CAPTURED_HTML_FRAME_OPTIONS,
          'Cross-Origin-Resource-Policy': 'same-origin',
          'Cache-Control': 'no-store',
        });
      }),
    attachment: (context) =>
      withMessageId(context, async (id) => {
        const index = parseAttachmentIndex(context.params.index ?? '');
        if (!index.ok) return sendError(context.res, 400, 'bad_request', index.message);
        const attachment = await messages.attachment(context.namespace, id, index.value);
        if (attachment === null) {
          return sendError(context.res, 404, 'not_found', `Message ${id} has no attachment ${index.value}.`);
        }
        const filename = attachment.filename ?? `attachment-${index.value}.bin`;
        // Always a download, never rendered: the bytes are whatever a stranger sent.
        sendBytes(context.res, 200, 'application/octet-stream', attachment.content, {
          'Content-Disposition': contentDisposition('attachment', filename),
          'Content-Security-Policy': DOWNLOAD_CSP,
          'Cache-Control': 'no-store',
        });
      }),
  };
}

async function withMessageId(context: ApiContext, then: (id: number) => Promise<void>): Promise<void> {
  const id = parseMessageId(context.params.id ?? '');
  if (!id.ok) return sendError(context.res, 400, 'bad_request', id.message);
  await then(id.value);
}

function messageNotFound(context: ApiContext, id: number): void {
  sendError(context.res, 404, 'not_found', `There is no message ${id} in this mailbox.`);
}

function toResource(message: ParsedMessage): MessageResource {
  const { html, attachments, ...rest } = message;
  const base = `/api/messages/${message.id}`;
  return {
    ...rest,
    htmlUrl: html === null ? null : `${base}/html`,
    remoteImagesBlocked: remoteImagesIn(html),
    rawUrl: `${base}/raw`,
    rawDownloadUrl: `${base}/raw?download=1`,
    attachments: attachments.map((attachment) => ({ ...attachment, url: `${base}/attachments/${attachment.index}` })),
  };
}
