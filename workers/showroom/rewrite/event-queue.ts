/**
 * Adds the analytics queue's script (GET /vitrine/events.js) at the end of a
 * page's <body>, streaming: every catalog page records a page view, and keeps
 * events in localStorage while /api/events cannot take them.
 */
import { EVENTS_SCRIPT } from '../routes/client-scripts.ts';

export function withEventQueue(response: Response): Response {
  return new HTMLRewriter()
    .on('body', {
      element(el) {
        el.onEndTag((end) => {
          end.before(`<script src="${EVENTS_SCRIPT}" defer></script>`, { html: true });
        });
      },
    })
    .transform(response);
}
