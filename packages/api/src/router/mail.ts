/** The mail router (docs/API.md "mail"): broadcasts, organizer notice settings, unsubscribing. */
import { DomainError } from "@boxoffice/core";
import {
  broadcastsOf,
  mailSettingsOf,
  resubscribeByToken,
  type UnsubscribeTarget,
  unsubscribeByToken,
  unsubscribeTargetOf,
  updateMailSettings,
} from "@boxoffice/db";
import { broadcastDto, maskEmail, previewBroadcast, sendBroadcast } from "../mail/broadcasts.ts";
import {
  broadcastInput,
  broadcastsInput,
  mailSettingsInput,
  unsubscribeInput,
} from "../schemas/mail.ts";
import {
  createTRPCRouter,
  eventOrganizerProcedure,
  organizerRoleProcedure,
  publicProcedure,
} from "../trpc.ts";

/** What an unsubscribe link's page shows: whose mail, and which address (masked). */
function subscriptionDto(target: UnsubscribeTarget | null) {
  if (!target) throw new DomainError("LINK_INVALID", "This unsubscribe link is not known");
  return {
    organizerName: target.organizerName,
    email: maskEmail(target.email),
    unsubscribed: target.unsubscribed,
  };
}

export const mailRouter = createTRPCRouter({
  broadcastPreview: eventOrganizerProcedure
    .input(broadcastInput)
    .query(({ ctx, input }) => previewBroadcast(ctx, ctx.event, input)),

  broadcast: eventOrganizerProcedure.input(broadcastInput).mutation(({ ctx, input }) => ({
    broadcast: broadcastDto(sendBroadcast(ctx, ctx.event, ctx.user.id, input)),
  })),

  broadcasts: eventOrganizerProcedure
    .input(broadcastsInput)
    .query(({ ctx }) => broadcastsOf(ctx.db, ctx.event.id).map(broadcastDto)),

  settings: organizerRoleProcedure.query(({ ctx }) => mailSettingsOf(ctx.db, ctx.user.id)),

  updateSettings: organizerRoleProcedure
    .input(mailSettingsInput)
    .mutation(({ ctx, input }) => updateMailSettings(ctx.db, ctx.user.id, input, ctx.clock.now())),

  subscription: publicProcedure
    .input(unsubscribeInput)
    .query(({ ctx, input }) => subscriptionDto(unsubscribeTargetOf(ctx.db, input.token))),

  unsubscribe: publicProcedure
    .input(unsubscribeInput)
    .mutation(({ ctx, input }) =>
      subscriptionDto(unsubscribeByToken(ctx.db, input.token, ctx.clock.now())),
    ),

  resubscribe: publicProcedure
    .input(unsubscribeInput)
    .mutation(({ ctx, input }) => subscriptionDto(resubscribeByToken(ctx.db, input.token))),
});
