import { describe, expect, it } from 'vitest';
import { parseTemplateOverrides, renderTemplate, TEMPLATE_NAMES } from '../../../workers/showroom/ops/message-templates.ts';

const FULL = {
  first_name: 'Ada',
  store_name: 'Nordlicht Office Furniture',
  fallback_url: 'https://mirror.nordlicht.example/',
  status_url: 'https://shop.nordlicht.example/status',
  next_update_minutes: 30,
  incident_id: 'inc-20261122-1530-3fa1',
  outage_channel: 'origin',
  started_at: '2026-11-22 15:30 UTC',
  resolved_at: '2026-11-22 16:10 UTC',
  duration_minutes: 40,
  message: 'Our hosting provider is restoring the database.',
};

describe('message templates', () => {
  it.each(TEMPLATE_NAMES.flatMap((name) => [[name, 'active'] as const, [name, 'resolved'] as const]))(
    '%s (%s) renders fully, no raw placeholder',
    (name, status) => {
      const r = renderTemplate(name, status, FULL);
      if (!r.ok) throw new Error(`missing ${r.missing}`);
      expect(r.text).not.toMatch(/\{\{|\}\}/);
      expect(r.text).not.toMatch(/ {2}| \./);
      if (name === 'email') expect(r.subject).toContain('Nordlicht');
      if (status === 'active' && name !== 'call-script') expect(`${r.text}`).toMatch(/mirror\.nordlicht\.example|read-only|minutes/);
    },
  );

  it('keeps the SMS within one 160-character message', () => {
    for (const status of ['active', 'resolved'] as const) {
      const r = renderTemplate('sms', status, FULL);
      expect(r.ok && r.text.length).toBeLessThanOrEqual(160);
    }
  });

  it('reports missing required values, and leaves out an empty optional message cleanly', () => {
    expect(renderTemplate('email', 'active', { ...FULL, first_name: '' })).toMatchObject({ ok: false, missing: ['first_name'] });
    expect(renderTemplate('call-script', 'active', {})).toMatchObject({ ok: false });
    const banner = renderTemplate('banner', 'active', { ...FULL, message: '' });
    expect(banner.ok && banner.text).toBe(
      'Nordlicht Office Furniture is in read-only mode for a moment. You can keep browsing; prices shown are from our latest catalog, and quote requests are kept and answered. Next update in 30 minutes.',
    );
    const script = renderTemplate('call-script', 'active', { ...FULL, message: undefined });
    expect(script.ok && script.text).not.toContain('Latest from our team');
  });

  it('takes overrides from MESSAGE_TEMPLATES and refuses bad ones with the reason', () => {
    const overrides = parseTemplateOverrides('{"sms":{"active":{"text":"{{store_name}} down, see {{status_url}}"}}}');
    expect(renderTemplate('sms', 'active', FULL, overrides)).toMatchObject({
      ok: true,
      text: 'Nordlicht Office Furniture down, see https://shop.nordlicht.example/status',
    });
    expect(renderTemplate('sms', 'resolved', FULL, overrides).ok).toBe(true);
    for (const [json, reason] of [
      ['{', /not valid JSON/],
      ['{"fax":{}}', /unknown template "fax"/],
      ['{"sms":{"active":{"text":"{{coupon}}"}}}', /unknown placeholder \{\{coupon\}\}/],
      ['{"sms":{"active":{"text":3}}}', /sms\.active\.text must be a non-empty string/],
      ['{"sms":{"later":{"text":"x"}}}', /use "active" or "resolved"/],
    ] as const)
      expect(() => parseTemplateOverrides(json)).toThrow(reason);
    expect(parseTemplateOverrides('')).toEqual({});
  });
});
