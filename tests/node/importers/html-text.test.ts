import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToText } from '../../../static-fallback/importers/html-text.ts';

describe('htmlToText', () => {
  it.each([
    ['<p>One</p>\n<p>Two</p>', 'One\nTwo'],
    ['<ul><li>Warranty: 1 year</li><li>Ships fast</li></ul>', 'Warranty: 1 year\nShips fast'],
    ['Line one<br>Line two<br/>Line three', 'Line one\nLine two\nLine three'],
    ['<p>Source\n  newlines   are\tjust spaces</p>', 'Source newlines are just spaces'],
    ['<p><strong>Bold</strong> and <a href="https://x.test/?a=1&amp;b=2">a link</a></p>', 'Bold and a link'],
    ['Fish &amp; chips &lt;3 &quot;yum&quot; &#39;ok&#39; caf&#233; &#x2603;&nbsp;snow', 'Fish & chips <3 "yum" \'ok\' café ☃ snow'],
    ['<p>Hi</p><script>alert("x")</script><style>p{}</style><!-- note -->there', 'Hi\nthere'],
    ['&lt;script&gt;alert(1)&lt;/script&gt;', '<script>alert(1)</script>'],
    ['a < b and c > d', 'a < b and c > d'],
    ['<p></p>\n<p>  </p>', ''],
    ['<div><h2>Title</h2><table><tr><td>cell</td></tr></table></div>', 'Title\ncell'],
  ])('%j → %j', (html, text) => {
    expect(htmlToText(html)).toBe(text);
  });

  it('leaves unknown entities alone and replaces invalid code points', () => {
    expect(decodeEntities('&bogus; &constructor; &#0; &#xD800; &#1114112;')).toBe('&bogus; &constructor; \ufffd \ufffd \ufffd');
  });

  it('stays fast on hostile markup', () => {
    const hostile = `${'<a '.repeat(50_000)}${'<!--'.repeat(10_000)}`;
    const started = performance.now();
    htmlToText(hostile);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
