/**
 * What the merchant's people say during an outage, the same on every channel:
 * the status banner, an email, an SMS, a social post, the chatbot's fallback
 * answer and a sales call script, each for an active outage and for after it
 * is resolved. Plain, honest defaults with `{{placeholders}}`, overridable by
 * the MESSAGE_TEMPLATES var. A placeholder that cannot be filled is reported
 * (`ok: false` with the names), never sent raw. Values go in as plain text:
 * callers escape for HTML.
 *
 * @example
 * const r = renderTemplate('sms', 'active', { store_name: 'Acme', fallback_url: 'https://acme.example/', next_update_minutes: 30 });
 * if (r.ok) send(r.text); else console.log('missing', r.missing);
 */
export const TEMPLATE_NAMES = ['banner', 'email', 'sms', 'social', 'chatbot', 'call-script'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** One template: text for an active outage and for after it is resolved; `subject` for email. */
export interface TemplateSource {
  active: { subject?: string; text: string };
  resolved: { subject?: string; text: string };
}
export type TemplateOverrides = Partial<Record<TemplateName, Partial<TemplateSource>>>;
/** Values for placeholders. Strings/numbers fill; null, undefined and '' mean "not known". */
export type TemplateValues = Record<string, string | number | null | undefined>;
export type RenderResult =
  | { ok: true; name: TemplateName; status: 'active' | 'resolved'; subject?: string; text: string; placeholders: string[] }
  | { ok: false; name: TemplateName; status: 'active' | 'resolved'; missing: string[]; placeholders: string[] };

/** Placeholders templates may use. Optional ones may be empty: they render as nothing. */
export const PLACEHOLDERS: Record<string, string> = {
  first_name: "the recipient's first name (email, SMS, call script: given per recipient)",
  store_name: 'the merchant (STORE_NAME)',
  fallback_url: 'where shoppers can keep browsing (FALLBACK_URL, else the showroom)',
  status_url: 'the status page',
  next_update_minutes: 'minutes until the next promised update',
  incident_id: "the incident's id",
  outage_channel: 'what failed: origin, asset-cdn, auth, third-party',
  started_at: 'when the incident started (UTC)',
  resolved_at: 'when it was resolved (UTC)',
  duration_minutes: 'how long it lasted',
  message: "optional: ops' latest update, as a sentence (empty when there is none)",
};
/** Placeholders that may be empty. */
const OPTIONAL = new Set(['message']);

export const DEFAULT_TEMPLATES: Record<TemplateName, TemplateSource> = {
  banner: {
    active: {
      text: '{{store_name}} is in read-only mode for a moment. You can keep browsing; prices shown are from our latest catalog, and quote requests are kept and answered. {{message}} Next update in {{next_update_minutes}} minutes.',
    },
    resolved: { text: '{{store_name}} is fully available again. Thank you for your patience.' },
  },
  email: {
    active: {
      subject: '{{store_name}}: your request is safe, our online store is partly unavailable',
      text: `Hi {{first_name}},

Since {{started_at}}, part of {{store_name}}'s online store is unavailable. Your open quotes and orders are safe: nothing you sent us is lost, and requests made now are kept and answered as soon as we are back.

You can still browse the catalog and ask for a quote here: {{fallback_url}}
Prices shown there are from our latest catalog.

{{message}}

We will send the next update within {{next_update_minutes}} minutes. Live status: {{status_url}}

The {{store_name}} team`,
    },
    resolved: {
      subject: '{{store_name}} is back: thank you for your patience',
      text: `Hi {{first_name}},

Our online store is fully available again since {{resolved_at}} (the interruption lasted {{duration_minutes}} minutes). Everything you sent us during that time has reached us, and we will get back to you as promised.

Thank you for your patience.

The {{store_name}} team`,
    },
  },
  sms: {
    active: {
      text: '{{store_name}}: shop partly down, your requests are safe. Browse & ask for quotes: {{fallback_url}} Update in {{next_update_minutes}} min',
    },
    resolved: { text: '{{store_name}}: our shop is fully back and your requests reached us. Thank you for your patience!' },
  },
  social: {
    active: {
      text: 'Part of our online store is unavailable right now. You can still browse the catalog and request quotes at {{fallback_url}}; nothing you send is lost. {{message}} Next update in {{next_update_minutes}} minutes: {{status_url}}',
    },
    resolved: {
      text: 'Our online store is fully back. Thank you for bearing with us; every request sent during the interruption has reached us.',
    },
  },
  chatbot: {
    active: {
      text: "Part of our store is unavailable at the moment, so I can't check live stock or order status right now. You can keep browsing at {{fallback_url}}, and I can take a quote request for you: it will be kept and answered. {{message}} Our next update is due in {{next_update_minutes}} minutes ({{status_url}}).",
    },
    resolved: { text: 'Everything is working again, and I can check live stock and order status for you now. How can I help?' },
  },
  'call-script': {
    active: {
      text: `Hello {{first_name}}, this is {{store_name}}.
- Say: Part of our online store has been unavailable since {{started_at}}. Your existing quotes and orders are safe.
- Offer: I can take your quote request or order right now by phone; it will be processed as soon as the system is back, and I will call you back to confirm.
- If they want to browse: the catalog is still online at {{fallback_url}}, with prices from our latest catalog.
- Latest from our team: {{message}}
- Next update: within {{next_update_minutes}} minutes, also on {{status_url}}.
- Do not promise delivery dates or live stock until the system is back.`,
    },
    resolved: {
      text: `Hello {{first_name}}, this is {{store_name}}.
- Say: Our online store is fully available again; the interruption lasted {{duration_minutes}} minutes.
- Confirm: everything you sent us (or gave me by phone) has been entered. Is there anything you would like to check or change?
- Thank them for their patience.`,
    },
  },
};

export function isTemplateName(name: string): name is TemplateName {
  return (TEMPLATE_NAMES as readonly string[]).includes(name);
}

const PLACEHOLDER_RE = /\{\{\s*([a-z_]+)\s*\}\}/g;

export function renderTemplate(
  name: TemplateName,
  status: 'active' | 'resolved',
  values: TemplateValues,
  overrides: TemplateOverrides = {},
): RenderResult {
  const source = { ...DEFAULT_TEMPLATES[name][status], ...overrides[name]?.[status] };
  const texts = [source.subject ?? '', source.text];
  const placeholders = [...new Set(texts.flatMap((t) => [...t.matchAll(PLACEHOLDER_RE)].map((m) => m[1]!)))].sort();
  const known = (key: string) => {
    const v = values[key];
    return v !== undefined && v !== null && String(v).trim() !== '';
  };
  const missing = placeholders.filter((p) => !OPTIONAL.has(p) && !known(p));
  if (missing.length) return { ok: false, name, status, missing, placeholders };
  const fill = (text: string) => tidy(text.replace(PLACEHOLDER_RE, (_m, key: string) => (known(key) ? String(values[key]).trim() : '')));
  return {
    ok: true,
    name,
    status,
    ...(source.subject ? { subject: fill(source.subject) } : {}),
    text: fill(source.text),
    placeholders,
  };
}

/** What an empty optional placeholder leaves behind: doubled spaces, blank lines, a bullet with nothing after its label. */
function tidy(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^- [^:]+:\s*$/.test(line))
    .map((line) =>
      line
        .replace(/ {2,}/g, ' ')
        .replace(/ +([.,])/g, '$1')
        .trimEnd(),
    )
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Parses MESSAGE_TEMPLATES (JSON `{ "<name>": { "active"?: { "subject"?, "text" }, "resolved"?: {…} } }`; empty → {}). */
export function parseTemplateOverrides(json: string | undefined): TemplateOverrides {
  if (!json?.trim()) return {};
  const fail = (what: string): never => {
    throw new Error(`MESSAGE_TEMPLATES: ${what}`);
  };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    fail('not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('must be an object keyed by template name');
  const overrides: TemplateOverrides = {};
  for (const [name, template] of Object.entries(value)) {
    if (!isTemplateName(name)) fail(`unknown template ${JSON.stringify(name)} (known: ${TEMPLATE_NAMES.join(', ')})`);
    if (typeof template !== 'object' || template === null) fail(`${name} must be an object with "active" and/or "resolved"`);
    const entry: Partial<TemplateSource> = {};
    for (const [status, variant] of Object.entries(template as object)) {
      if (status !== 'active' && status !== 'resolved') fail(`${name}.${status}: use "active" or "resolved"`);
      const { text, subject, ...rest } = (variant ?? {}) as Record<string, unknown>;
      if (Object.keys(rest).length) fail(`${name}.${status}: unknown field ${Object.keys(rest)[0]} (text, subject)`);
      if (typeof text !== 'string' || !text.trim()) fail(`${name}.${status}.text must be a non-empty string`);
      if (subject !== undefined && typeof subject !== 'string') fail(`${name}.${status}.subject must be a string`);
      for (const m of `${subject ?? ''} ${text}`.matchAll(PLACEHOLDER_RE))
        if (!(m[1]! in PLACEHOLDERS))
          fail(`${name}.${status}: unknown placeholder {{${m[1]}}} (known: ${Object.keys(PLACEHOLDERS).join(', ')})`);
      entry[status as 'active' | 'resolved'] = { text: text as string, ...(typeof subject === 'string' ? { subject } : {}) };
    }
    overrides[name as TemplateName] = entry;
  }
  return overrides;
}
