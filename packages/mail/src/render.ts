import type { RenderableMail, RenderedMail, RenderOptions } from "./index.ts";
import { renderMail as renderText } from "./templates.ts";

/** The mail for one outbox row. Placeholder over the wave-1 templates, until React Email. */
export async function renderMail(
  mail: RenderableMail,
  options: RenderOptions,
): Promise<RenderedMail> {
  const m = renderText(mail, options.origin);
  return { ...m, attachments: [], headers: {} };
}
