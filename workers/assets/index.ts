export default {
  fetch: async (req: Request, env: { ASSETS_R2: R2Bucket }) =>
    new Response(`asset worker ${new URL(req.url).pathname} ${await (await env.ASSETS_R2.get('probe'))?.text()}`),
} satisfies ExportedHandler<{ ASSETS_R2: R2Bucket }>;
